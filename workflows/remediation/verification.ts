import { workflowInfo } from '@temporalio/workflow';
import { type EvidenceSample, type Policy, type RemediationReport, type VerificationPromise, incidentArrivalWindow } from '#core';
import type { VerifyResult } from '#remediation/remediation-activities';
import { actWaiting, followUp } from './activities.js';
import { step } from './run-report.js';

/** Verification did not find what the action promised: the run compensates (or hands over). */
export class VerificationFailed extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`verification failed: ${problems.join('; ')}`);
    this.name = 'VerificationFailed';
  }
}

/**
 * How many clients the gateway was last seen holding: by the run (its agent's count, else its
 * vitals') or by a detector that reported it (its vitals when it found the fault; a run that
 * looks only after the lease ran out sees no vitals). A vitals count of 0 may be older than its
 * clients (vitals are published on an interval), so it counts as not seen. Undefined if never seen.
 */
export const lastKnownClients = (samples: readonly EvidenceSample[], triggers: RemediationReport['triggers'] = []): number | undefined => {
  const counts = samples.flatMap((s) => (s.sessions !== undefined ? [s.sessions] : s.vitals && s.vitals.connections > 0 ? [s.vitals.connections] : []));
  const reported = triggers.flatMap((t) => (t.findings?.sessions ? [t.findings.sessions] : []));
  const all = counts.length > 0 ? counts : reported;
  return all.length > 0 ? Math.max(...all) : undefined;
};

export interface VerifyOptions {
  readonly report: RemediationReport;
  readonly policy: Policy;
  /** What the action promised, which decides what is checked. */
  readonly promise: VerificationPromise;
  /** How many clients the gateway held before the action, if anyone saw it. */
  readonly expectedClients?: number;
  /** The source said it was empty at the end of its migration (an observed fact that outlives it). */
  readonly sourceReportedEmpty?: boolean;
}

/**
 * Checks what the action promised and puts every fact in the report, split into what was
 * observed and what was assumed (or unknown). Throws `VerificationFailed` when a check fails.
 */
export const verify = async ({ report, policy, promise, expectedClients, sourceReportedEmpty = false }: VerifyOptions): Promise<VerifyResult> => {
  const waiting = promise === 'gone';
  const call = waiting ? actWaiting : followUp();
  const reference = report.triggers?.[0]?.requestedAt ?? report.requestedAt;
  const result = await step(report, 'verify', () =>
    call.verifyRemediation({
      gatewayId: report.gatewayId,
      promise,
      ...(expectedClients === undefined ? {} : { expectedClients }),
      ...(waiting ? { waitMs: policy.incident.rehomeWaitMs } : {}),
      ...(sourceReportedEmpty ? { sourceReportedEmpty } : {}),
      arrivalWindow: incidentArrivalWindow(reference),
    }),
  );
  report.verification = { promise, ok: result.ok };
  report.observed = (result.checks ?? []).filter((c) => c.observed);
  report.assumed = (result.checks ?? []).filter((c) => !c.observed);
  const elsewhere = result.clientsElsewhere;
  if (elsewhere) {
    report.clients = {
      ...(expectedClients === undefined ? {} : { before: expectedClients }),
      seenElsewhere: elsewhere.count,
      byGateway: elsewhere.byGateway,
      ...(elsewhere.lastArrivalAt === undefined ? {} : { allBackWithinMs: Math.max(0, elsewhere.lastArrivalAt - reference) }),
    };
  }
  if (!result.ok) throw new VerificationFailed(result.problems);
  return result;
};

/** The clients' story in an operator's words: how many came back where, and how fast. */
export const clientsSentence = (report: RemediationReport): string => {
  const c = report.clients;
  if (!c) return 'where its clients went is unknown (no other gateway answered)';
  const where = Object.entries(c.byGateway)
    .map(([g, n]) => `${g} (${n})`)
    .join(', ');
  const of = c.before === undefined ? `${c.seenElsewhere} clients (how many it held was never seen)` : `${c.seenElsewhere} of its ${c.before} clients`;
  const fast = c.allBackWithinMs === undefined ? '' : `, the last within ${c.allBackWithinMs} ms of the first trigger`;
  return `${of} came back on ${where || 'no other gateway'}${fast}`;
};

export const by = (): string => workflowInfo().workflowId;

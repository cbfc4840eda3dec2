import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import {
  type Action,
  type DecisionRecord,
  type EvidenceSample,
  type IncidentDecision,
  OPERATOR_DEFAULT_ACTIONS,
  type Policy,
  type RemediationReport,
  type RemediationRequest,
  backoffDelayMs,
  compareDecision,
  crashReported,
  decideIncident,
  freshFindings,
  processGone,
} from '#core';
import { ActionAttribute } from '#temporal/search-attributes';
import { quick } from './activities.js';
import { step } from './run-report.js';
import { type TriggerInbox } from './trigger-inbox.js';

/** A few looks at the gateway, spaced out: one bad sample is not a verdict. */
const EVIDENCE_SAMPLES = 3;
const EVIDENCE_INTERVAL_MS = 150;
/** The report keeps the latest looks; a long watch would otherwise repeat the same facts many times. */
const KEEP_SAMPLES = 30;

/** What prompted a decision. */
export interface Prompt {
  readonly trigger: DecisionRecord['trigger'];
  readonly reason: string;
  /** An operator's order delivered with it, if any. */
  readonly operatorActions?: readonly Action[];
}

export const promptOf = (request: RemediationRequest): Prompt => ({
  trigger: request.trigger,
  reason: request.reason,
  ...(request.trigger === 'api' ? { operatorActions: request.actions ?? OPERATOR_DEFAULT_ACTIONS } : {}),
});

/** Looks at the gateway again; the samples go into the report (bounded) and are returned for the decision. */
export const look = async (report: RemediationReport, name: string, count = EVIDENCE_SAMPLES, path?: string): Promise<EvidenceSample[]> =>
  step(report, name, async () => {
    const samples = await quick().gatherEvidence({ gatewayId: report.gatewayId, samples: count, intervalMs: EVIDENCE_INTERVAL_MS });
    report.evidence.push(...samples);
    report.evidence.splice(0, Math.max(0, report.evidence.length - KEEP_SAMPLES));
    return samples;
  }, (samples) => {
    const last = samples.at(-1);
    return { samples: samples.length, registered: last?.registered, reachable: last?.reachable, agentError: last?.agentError, sessions: last?.sessions, ...(path ? { path } : {}) };
  });

/**
 * The run's first look. When the trigger says the process died (a crash finding, a lapsed
 * lease), one sample that confirms it (nothing answers, nothing listens, lease gone) is
 * conclusive: the run decides at once instead of sampling 300 ms more while the dead gateway
 * stays in rotation. A sample that does not confirm it falls back to the sampled path. The
 * step's `path` says which was taken and why.
 */
export const firstLook = async (report: RemediationReport, request: RemediationRequest): Promise<EvidenceSample[]> => {
  if (!crashReported(request) || !patched('fast-evidence')) return look(report, 'gather-evidence');
  const quick = await look(report, 'gather-evidence', 1, `fast: the ${request.trigger} trigger reported the process gone`);
  if (processGone(quick, request.findings)) return quick;
  const more = await look(report, 'gather-more-evidence', EVIDENCE_SAMPLES - 1, 'sampled: the first look did not confirm the process gone');
  return [...quick, ...more];
};

/**
 * Evaluates the tree on the latest looks and every fresh finding of the triggers received so
 * far, records the evaluation (path, values, what prompted it, what it changes) and returns it.
 */
export const decide = (
  report: RemediationReport,
  policy: Policy,
  samples: readonly EvidenceSample[],
  prompt: Prompt,
  current: readonly Action[] | undefined,
): { decision: IncidentDecision; change: DecisionRecord['change'] } => {
  const findings = freshFindings(report.triggers ?? [], Date.now(), policy.incident.findingsFreshMs);
  const decision = decideIncident(policy, samples, findings, prompt.operatorActions);
  const change = compareDecision(current, decision.actions);
  (report.decisions ??= []).push({
    at: Date.now(),
    trigger: prompt.trigger,
    reason: prompt.reason,
    actions: decision.actions,
    rule: decision.rule,
    explanation: decision.explanation,
    facts: decision.facts,
    score: decision.score,
    change,
  });
  if (change === 'first' || change === 'escalate') {
    report.decision = decision;
    upsertSearchAttributes([{ key: ActionAttribute, value: decision.actions.join('+') }]);
  }
  return { decision, change };
};

/** Why the watch woke up. */
export type Wake = { readonly kind: 'trigger'; readonly prompt: Prompt } | { readonly kind: 'timer'; readonly prompt: Prompt } | { readonly kind: 'watch-over' };

/**
 * Waits for the next thing to look at: a delivered trigger wakes the run at once; otherwise the
 * observe back-off (the tree's own values) or the recheck interval; `watch-over` once the run has
 * watched for the policy's `watchMs` since it last changed what it does. Durable timers.
 */
export const watch = async (inbox: TriggerInbox, waitMs: number, watchEndsAt: number, timerTrigger: 'recheck' | 'back-off'): Promise<Wake> => {
  const left = watchEndsAt - Date.now();
  if (left <= 0) return { kind: 'watch-over' };
  const woken = await condition(() => inbox.pending.length > 0, Math.min(waitMs, left));
  if (woken) {
    const requests = inbox.take();
    const last = requests.at(-1) as RemediationRequest;
    const operator = requests.findLast((r) => r.trigger === 'api');
    const prompt = promptOf(operator ?? last);
    return { kind: 'trigger', prompt: requests.length > 1 ? { ...prompt, reason: requests.map((r) => `${r.trigger}: ${r.reason}`).join('; ') } : prompt };
  }
  if (Date.now() >= watchEndsAt) return { kind: 'watch-over' };
  return { kind: 'timer', prompt: { trigger: timerTrigger, reason: timerTrigger === 'back-off' ? `looking again after the back-off (${waitMs} ms)` : 'looking again' } };
};

/** How long to wait before the next look: an observe verdict's back-off (growing per look), else the recheck interval. */
export const nextWaitMs = (decision: IncidentDecision, policy: Policy, observeAttempt: number): { waitMs: number; timer: 'recheck' | 'back-off' } => {
  const backoff = decision.params?.backoff;
  if (decision.actions.includes('observe') && backoff) return { waitMs: backoffDelayMs(backoff, observeAttempt), timer: 'back-off' };
  return { waitMs: policy.incident.recheckMs, timer: 'recheck' };
};

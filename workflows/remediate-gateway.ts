import { CancellationScope, defineQuery, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { type Action, type IncidentDecision, type Policy, type RemediationReport, type RemediationRequest, removesGateway, requiresApproval } from '#core';
import { act, quick } from './remediation/activities.js';
import { installApprovalHandlers } from './remediation/approval.js';
import { dryRunVerdict } from './remediation/dry-run.js';
import { type Prompt, decide, firstLook, look, nextWaitMs, promptOf, watch } from './remediation/incident.js';
import { awaitApprovalIfRequired, holdGateway, releaseSlot, reserveSlot } from './remediation/guardrails.js';
import { releaseOperation } from './remediation/operation-claim.js';
import { end, finish } from './remediation/outcome.js';
import { removeAndVerify } from './remediation/removal.js';
import { RunEnded, describeFailure, newReport, step } from './remediation/run-report.js';
import { type TriggerInbox, installTriggerInbox } from './remediation/trigger-inbox.js';
import { VerificationFailed, by, verify } from './remediation/verification.js';
import { remediateGateway as remediateGatewayV1 } from './v1/remediate-gateway.js';
import { isV1History } from './versions.js';

export { triggerSignal } from './remediation/trigger-inbox.js';

export const reportQuery = defineQuery<RemediationReport>('report');

/** Actions that take a gateway out of rotation, and so count against the blast radius. */
const REMOVING: readonly Action[] = ['quarantine', 'degrade', 'drain', 'migrate'];

/** Looks taken after an unanswered verification before it counts as failed. */
const UNVERIFIED_LOOKS = 3;

/** What one run has done so far about its incident. */
interface RunState {
  claimed: boolean;
  guarded: boolean;
  /** What to give back at the end: the rate-limit slot (unless the run acted) and the gateway's operation claim. */
  slotHeld: boolean;
  gatewayHeld: boolean;
  acted: boolean;
  /** The verdict the run acts on. */
  current: IncidentDecision | undefined;
  /** Actions carried out, so an escalation does only what is new. */
  readonly done: Set<Action>;
  observeAttempt: number;
}

/**
 * Heals one gateway, as DESIGN.md lays out: evidence → decision → guardrails → actions →
 * verify → compensate → report. One run is one incident: later triggers for the gateway
 * (detector, sweep, lease expiry, operator) are delivered to it (`trigger` signal) and it
 * re-decides on the combined evidence, escalating (observe → degrade → quarantine + migrate)
 * or recording the recovery, within the same run. Every decision and step lands in the
 * report, every outcome in the `Outcome` search attribute.
 */
export async function remediateGateway(request: RemediationRequest): Promise<RemediationReport> {
  if (isV1History()) return remediateGatewayV1(request);
  const report = newReport(request, workflowInfo().startTime.getTime());
  setHandler(reportQuery, () => report);
  const inbox = installTriggerInbox(report, request, report.startedAt);
  const awaitApproval = installApprovalHandlers(request.requestedBy);
  const run: RunState = { claimed: false, guarded: false, slotHeld: false, gatewayHeld: false, acted: false, current: undefined, done: new Set(), observeAttempt: 0 };
  try {
    const { policy } = await step(
      report,
      'load-policy',
      () => quick().loadPolicy(),
      ({ policy: p, source }) => ({ version: p.version, mode: p.mode, source }),
    );
    report.policyVersion = policy.version;
    report.policyMode = policy.mode;
    const samples = await firstLook(report, request);
    if (request.trigger === 'api' && samples.at(-1)?.state === 'needs-human' && !request.dryRun) {
      await step(report, 'release-hold', () => act.releaseHold({ gatewayId: request.gatewayId, by: by(), reason: `an operator's run: ${request.reason}` }));
    }
    await handleIncident(report, policy, request, run, inbox, samples, awaitApproval);
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(async () => finish(report, 'cancelled', 'cancelled by request; the gateway stays out of rotation if it was taken out'));
      throw error;
    }
    if (error instanceof RunEnded) await end(report, error.outcome, error.why);
    else await compensate(report, request, run.claimed, error);
  } finally {
    if (run.slotHeld && !run.acted) await releaseSlot();
    if (run.gatewayHeld) await releaseOperation(request.gatewayId);
  }
  await announceEnding(report, request.gatewayId);
  return report;
}

/**
 * The ending as a milestone (a K8s Event in K8s mode); it never changes the outcome. It stays a
 * scheduled activity: it queries this run's report, which a workflow answers only between its
 * tasks, so as a local activity (inside a task) it waited until the task's heartbeat, 8 s.
 */
const announceEnding = async (report: RemediationReport, gatewayId: string): Promise<void> => {
  if (!patched('k8s-milestones')) return;
  const { outcome, outcomeReason: why = '' } = report;
  await act.recordMilestone({ gatewayId, outcome, why, moved: report.migration?.moved ?? 0 }).catch(() => undefined);
};

/** The incident loop: decide, act on an escalation, watch, look again, until removed, recovered or the watch is over. */
const handleIncident = async (
  report: RemediationReport,
  policy: Policy,
  request: RemediationRequest,
  run: RunState,
  inbox: TriggerInbox,
  firstSamples: Awaited<ReturnType<typeof look>>,
  awaitApproval: ReturnType<typeof installApprovalHandlers>,
): Promise<void> => {
  let samples = firstSamples;
  let prompt: Prompt = promptOf(request);
  let watchEndsAt = Date.now() + policy.incident.watchMs;
  /**
   * A degrade whose agent did not answer verification: look again at once (a hung gateway's
   * lease runs out within seconds, and then the evidence says more); only if a few looks bring
   * no escalation does verification fail.
   */
  let unverified: VerificationFailed | undefined;
  let unverifiedLooks = 0;
  for (;;) {
    const { decision, change } = decide(report, policy, samples, prompt, run.current?.actions);
    if (unverified && change !== 'escalate') {
      if (unverifiedLooks >= UNVERIFIED_LOOKS) throw unverified;
      unverifiedLooks += 1;
      samples = await look(report, 'look-again');
      continue;
    }
    unverified = undefined;
    if (change === 'first' || change === 'escalate') {
      run.current = decision;
      run.observeAttempt = 0;
      watchEndsAt = Date.now() + policy.incident.watchMs;
      const acting = decision.actions.some((a) => a !== 'none' && a !== 'observe');
      if (!acting && change === 'first' && !decision.actions.includes('observe')) throw new RunEnded('no-action', `the policy's verdict is ${decision.actions.join('+')}`);
      if (acting) {
        await guard(report, policy, request, run, decision, awaitApproval);
        await carryOut(report, run, decision);
        if (removesGateway(decision.actions)) return finish(report, 'healed', await removeAndVerify(report, decision, policy));
        unverified = await verify({ report, policy, promise: 'refusing' }).then(
          () => undefined,
          (error: unknown) => {
            if (error instanceof VerificationFailed && samples.at(-1)?.reachable !== true) return error;
            throw error;
          },
        );
        if (unverified) {
          prompt = { trigger: 'recheck', reason: 'its agent did not answer verification: looking again before judging' };
          samples = await look(report, 'look-again');
          continue;
        }
      }
    } else if (change === 'de-escalate') {
      return recover(report, run);
    }
    const { waitMs, timer } = nextWaitMs(run.current ?? decision, policy, run.observeAttempt);
    if (timer === 'back-off') run.observeAttempt += 1;
    const wake = await watch(inbox, waitMs, watchEndsAt, timer);
    if (wake.kind === 'watch-over') return watchedEnough(report, run, policy);
    prompt = wake.prompt;
    samples = await look(report, 'look-again');
  }
};

/** The gateway is healthy again: undo a degrade (it never lost its sessions), and say so. */
const recover = async (report: RemediationReport, run: RunState): Promise<void> => {
  const was = run.current?.actions.join('+') ?? 'nothing';
  if (run.done.has('degrade')) {
    const restored = await step(report, 'return-to-service', () =>
      act.returnToService({ gatewayId: report.gatewayId, by: by(), reason: 'recovered: the verdict is none again' }),
    );
    run.claimed = false;
    return finish(report, 'healed', `recovered after ${was}: the verdict is none again, so ${report.gatewayId} is back in service${restored.reachable ? '' : ' (its agent did not answer the restore)'}`);
  }
  return finish(report, 'observed', `recovered while observing (${was}): the verdict is none again; nothing was changed`);
};

const watchedEnough = (report: RemediationReport, run: RunState, policy: Policy): void => {
  const seconds = Math.round(policy.incident.watchMs / 1_000);
  const actions = run.current?.actions.join('+') ?? 'none';
  if (run.done.size === 0) return finish(report, 'observed', `observed for ${seconds} s (${actions}): it neither recovered nor got worse`);
  return finish(report, 'healed', `${actions} done and verified (out of rotation, refusing new sessions; its sessions stay); watched ${seconds} s without escalation or recovery`);
};

/**
 * Guardrails, checked once per incident (an escalation inside it is the same incident): the
 * rate-limit/flap slot, dry-run, approval, the gateway's operation claim; then the blast-radius
 * claim for the first action that takes the gateway out, and approval again for an escalation
 * that crosses the policy's approval threshold.
 */
const guard = async (
  report: RemediationReport,
  policy: Policy,
  request: RemediationRequest,
  run: RunState,
  decision: IncidentDecision,
  awaitApproval: ReturnType<typeof installApprovalHandlers>,
): Promise<void> => {
  if (policy.mode === 'shadow' && request.trigger !== 'api') {
    throw new RunEnded('shadow', `policy ${policy.version} is in shadow mode: would have done ${decision.actions.join('+')}`);
  }
  if (!run.guarded) {
    if (request.dryRun) return dryRunVerdict(report, policy, request);
    run.slotHeld = await reserveSlot(report, policy, request);
    await awaitApprovalIfRequired(report, policy, awaitApproval);
    await holdGateway(report, request.gatewayId, decision.actions.join('+'));
    run.gatewayHeld = true;
    run.guarded = true;
  } else if (requiresApproval(decision.actions, policy.guardrails.approval) && !requiresApproval(run.done.size ? [...run.done] : ['none'], policy.guardrails.approval)) {
    await awaitApprovalIfRequired(report, policy, awaitApproval);
  }
  if (!run.claimed && decision.actions.some((a) => REMOVING.includes(a))) {
    const claim = await step(report, 'claim-quarantine', () =>
      quick().claimQuarantine({ gatewayId: request.gatewayId, owner: workflowInfo().workflowId, maxQuarantinedFraction: policy.guardrails.maxQuarantinedFraction }),
    );
    report.guardrails.push({ name: 'blast-radius', at: Date.now(), allowed: claim.allowed, detail: claim.reason ?? 'within the blast radius' });
    if (!claim.allowed) throw new RunEnded('needs-human', claim.reason ?? 'blast radius');
    run.claimed = true;
  }
  run.acted = true;
};

/** Carries out the actions of a verdict that the run has not done yet (an escalation adds to what is done). */
const carryOut = async (report: RemediationReport, run: RunState, decision: IncidentDecision): Promise<void> => {
  const controlUrl = report.evidence.findLast((s) => s.controlUrl)?.controlUrl;
  const input = { gatewayId: report.gatewayId, by: by(), reason: report.reason, ...(controlUrl ? { controlUrl } : {}) };
  for (const action of decision.actions) {
    if (run.done.has(action)) continue;
    switch (action) {
      case 'quarantine':
        await step(report, 'quarantine', () => quick().quarantineGateway(input));
        break;
      case 'degrade':
        await step(report, 'degrade', () => quick().degradeGateway(input));
        break;
      case 'drain':
        await step(report, 'drain', () => quick().drainGateway(input));
        break;
      default:
        break;
    }
    run.done.add(action);
  }
};

/**
 * An action failed for good, or verification did not find what it promised. If the gateway
 * was taken out and still answers, put it back (the fleet is no worse than before);
 * otherwise stop, hold it for a human and say so.
 */
const compensate = async (report: RemediationReport, request: RemediationRequest, claimed: boolean, error: unknown): Promise<void> => {
  const why = error instanceof VerificationFailed ? error.message : describeFailure(error);
  if (!claimed) return end(report, 'needs-human', why);
  try {
    const restored = await step(report, 'compensate', () => act.returnToService({ gatewayId: request.gatewayId, by: by(), reason: `compensating: ${why}`, onlyIfReachable: true }));
    if (restored.reachable) return finish(report, 'compensated', `undone after: ${why}`);
    return end(report, 'needs-human', `gateway unreachable after: ${why}; kept out of rotation`);
  } catch (compensationError) {
    return end(report, 'needs-human', `${why}; compensation failed too: ${describeFailure(compensationError)}`);
  }
};


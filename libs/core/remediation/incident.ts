import { type Action, actionSeverity, mostSevereAction } from '../decision/index.js';
import { type DecisionFacts } from '../decision/predicates.js';
import { type DetectorFindings, type EvidenceSample } from './evidence.js';
import { type RemediationRequest, type TriggerKind } from './remediation-report.js';

/** How a re-decision inside one incident relates to what the run is already doing. */
export type DecisionChange = 'first' | 'escalate' | 'same' | 'de-escalate';

/** One evaluation of the tree inside a run: what prompted it, the path taken with the values seen, and what it changed. */
export interface DecisionRecord {
  readonly at: number;
  /** The trigger that prompted it, or `recheck` / `back-off` for the run's own looks. */
  readonly trigger: TriggerKind | 'recheck' | 'back-off';
  readonly reason: string;
  readonly actions: readonly Action[];
  readonly rule: string;
  readonly explanation: readonly string[];
  readonly facts: DecisionFacts;
  readonly score: number;
  readonly change: DecisionChange;
}

/** A trigger the run received: the one that started it, and every later one delivered to it. */
export interface TriggerRecord {
  readonly at: number;
  readonly trigger: TriggerKind;
  readonly reason: string;
  readonly requestedAt: number;
  readonly requestedBy?: string;
  readonly findings?: DetectorFindings;
}

/** How disruptive a set of actions is, on the ACTIONS scale. */
export const incidentLevel = (actions: readonly Action[]): number => actionSeverity(mostSevereAction(actions));

/** Actions that remove the gateway for good (everything after them is verification). */
const REMOVAL: readonly Action[] = ['quarantine', 'migrate', 'drain'];

export const removesGateway = (actions: readonly Action[]): boolean => actions.some((a) => REMOVAL.includes(a));

/**
 * Compares a new verdict with the one the run acts on. Only escalation makes a run act again;
 * `none` while degraded or observing means the gateway recovered.
 */
export const compareDecision = (current: readonly Action[] | undefined, next: readonly Action[]): DecisionChange => {
  if (current === undefined) return 'first';
  const [now, then] = [incidentLevel(current), incidentLevel(next)];
  if (then > now) return 'escalate';
  if (then === actionSeverity('none') && now > then) return 'de-escalate';
  return 'same';
};

/**
 * What the detectors saw recently, merged: every fact of every trigger received within
 * `freshMs`, so a write-block report and a later heartbeat loss count together. Older
 * findings lapse: after that only the run's own looks speak, which is how recovery shows.
 */
export const freshFindings = (triggers: readonly TriggerRecord[], now: number, freshMs: number): DetectorFindings | undefined => {
  const recent = triggers.filter((t) => now - t.at <= freshMs);
  const fresh = recent.filter((t) => t.findings);
  const latest = fresh.at(-1)?.findings;
  if (!latest) return undefined;
  const facts = [...new Set(fresh.flatMap((t) => t.findings?.facts ?? []))].sort();
  const { partitionSuspected: _latestOnly, ...rest } = latest;
  // Suspected only while every recent trigger says so: an agreed finding, a lapsed lease (the backstop) or an operator lifts it.
  return recent.every((t) => t.findings?.partitionSuspected === true) ? { ...rest, facts, partitionSuspected: true } : { ...rest, facts };
};

/** The detector saw the process die: its control channel closed with nothing listening behind it. */
const CRASH_CLASSIFICATIONS = new Set(['crash', 'vanished']);

/**
 * The trigger itself says the process died (a detector's crash finding, or its lease ran out):
 * one look that confirms it is conclusive, and re-sampling would only keep a dead gateway in
 * rotation longer.
 */
export const crashReported = (request: Pick<RemediationRequest, 'trigger' | 'findings'>): boolean =>
  request.trigger === 'lease-expired' || CRASH_CLASSIFICATIONS.has(request.findings?.classification ?? '');

/**
 * The process is gone, not merely slow: nobody answers at its address and either nothing
 * listens there (connection refused) with its lease gone or a detector's crash finding, or its
 * lease is gone and its last known address does not answer either. A registration that lapsed
 * while the agent still answers is not a dead gateway (issue 8: such a run reported sessions
 * moved that were still there).
 */
export const processGone = (samples: readonly EvidenceSample[], findings: DetectorFindings | undefined): boolean => {
  if (samples.length === 0 || samples.some((s) => s.reachable)) return false;
  const leaseGone = samples.some((s) => !s.registered);
  const refused = samples.every((s) => s.agentError === 'refused' || s.agentError === 'no-address');
  const crashSeen = CRASH_CLASSIFICATIONS.has(findings?.classification ?? '');
  return (refused && (leaseGone || crashSeen)) || samples.every((s) => !s.registered);
};

/** Exponential back-off of an `observe` verdict: the wait before the `attempt`-th look (0-based). */
export const backoffDelayMs = (backoff: { initialMs: number; maxMs: number; multiplier: number }, attempt: number): number =>
  Math.min(backoff.maxMs, Math.round(backoff.initialMs * backoff.multiplier ** attempt));

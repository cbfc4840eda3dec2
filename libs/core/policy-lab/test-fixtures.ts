import type { Action } from '../decision/actions.js';
import type { RemediationDecision } from '../remediation/decide-remediation.js';
import type { RemediationOutcome, RemediationReport, TriggerKind } from '../remediation/remediation-report.js';
import { INITIAL_AVAILABILITY_STATE } from '../detection/availability.js';
import { decideForGateway } from '../detection/decide-for-gateway.js';
import type { GatewaySnapshot } from '../detection/detection-signals.js';
import { INITIAL_HEALTH_WATCH_STATE, stepHealthWatch } from '../detection/health-watch.js';
import { INITIAL_PROBE_STATE, type ProbeState } from '../detection/probe-tiers.js';
import { INITIAL_SELF_REPORT_STATE, type SelfReportState } from '../detection/self-report-state.js';
import type { Policy } from '../policy/policy-schema.js';
import { RecordedRunSchema, recordedRunOf, type RecordedRun } from './timeline-event.js';
import { observationOf, type TimelineObservation } from './timeline-observation.js';

export const FLOOR_MS = 20;

export interface Moment {
  readonly probe?: Partial<ProbeState>;
  readonly reports?: Partial<SelfReportState>;
  readonly leaseExpired?: boolean;
  readonly rttsMs?: readonly number[];
}

/** The tier the probe's state machine reaches for a miss streak under `policy`. */
const probeAt = (policy: Policy, probe: ProbeState): ProbeState => {
  if (probe.tier === 'transport-lost') return probe;
  const misses = probe.consecutiveMisses;
  return { ...probe, tier: misses >= policy.detector.missesToSuspect ? 'suspect' : misses > 0 ? 'missing' : 'healthy' };
};

/**
 * A gateway's moments as the live detector's pure code sees them (health stepped, decision
 * made by decideForGateway), recorded the way the detector records them.
 */
export const recordMoments = (gatewayId: string, policy: Policy, moments: readonly (Moment & { readonly atMs: number })[], detectorId = 'det-a'): TimelineObservation[] => {
  let health = INITIAL_HEALTH_WATCH_STATE;
  return moments.map((m) => {
    const probe = probeAt(policy, { ...INITIAL_PROBE_STATE, rttsMs: m.rttsMs ?? [0.5, 0.6, 0.4, 0.5, 0.5], ...m.probe });
    health = stepHealthWatch(health, { probe, vitals: undefined, signalling: false, atMs: m.atMs }, policy, FLOOR_MS).state;
    const snapshot: GatewaySnapshot = {
      probe,
      reports: { ...INITIAL_SELF_REPORT_STATE, ...m.reports },
      health,
      vitals: undefined,
      availability: INITIAL_AVAILABILITY_STATE,
      leaseExpired: m.leaseExpired ?? false,
      atMs: m.atMs,
    };
    const decision = decideForGateway(snapshot, policy, { shadow: false });
    return observationOf({ gatewayId, detectorId, streamSinceMs: 0, policy, shadowFlag: false, rttSpikeFloorMs: FLOOR_MS }, snapshot, decision);
  });
};

/** A hang: `misses` pongs missed one per tick from `atMs`, then the gateway answers again (or not). */
export const hang = (atMs: number, misses: number, tickMs = 100): (Moment & { atMs: number })[] =>
  Array.from({ length: misses }, (_, i) => ({
    atMs: atMs + (i + 1) * tickMs,
    probe: { consecutiveMisses: i + 1 },
  }));

export const quiet = (atMs: number): Moment & { atMs: number } => ({ atMs });

/** A run's record as the worker writes it when the run ends: from a report with just what the record reads. */
export const endedRun = (
  gatewayId: string,
  run: { readonly requestedAt: number; readonly trigger?: TriggerKind; readonly actions?: readonly Action[]; readonly outcome?: RemediationOutcome; readonly policyVersion?: number },
): RecordedRun => {
  const actions = [...(run.actions ?? ['quarantine', 'migrate'])];
  const report: RemediationReport = {
    gatewayId,
    trigger: run.trigger ?? 'detector',
    reason: 'test',
    requestedAt: run.requestedAt,
    startedAt: run.requestedAt + 10,
    dryRun: false,
    policyVersion: run.policyVersion ?? 2,
    policyMode: 'enforce',
    evidence: [],
    decision: { actions, rule: 'isolate-vanished', explanation: [], facts: {} as RemediationDecision['facts'], score: 0, scoreBreakdown: [] },
    decisions: [{ at: run.requestedAt + 20, trigger: run.trigger ?? 'detector', reason: 'test', actions, rule: 'isolate-vanished', explanation: [], facts: {} as RemediationDecision['facts'], score: 0, change: 'first' }],
    triggers: [{ at: run.requestedAt + 10, trigger: run.trigger ?? 'detector', reason: 'test', requestedAt: run.requestedAt }],
    guardrails: [],
    steps: [{ name: 'quarantine', startedAt: run.requestedAt + 30, finishedAt: run.requestedAt + 40, status: 'done' }],
    outcome: run.outcome ?? 'healed',
    outcomeReason: 'taken out of rotation',
    finishedAt: run.requestedAt + 1_000,
  };
  return RecordedRunSchema.parse(recordedRunOf(report, { workflowId: `remediate:${gatewayId}`, runId: `run-${run.requestedAt}` }));
};

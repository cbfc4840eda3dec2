import { z } from 'zod';
import { ACTIONS } from '../decision/actions.js';
import { GATEWAY_ID_PATTERN } from '../ids/workflow-ids.js';
import { REMEDIATION_OUTCOMES, TRIGGER_KINDS, type RemediationReport, type RemediationRequest } from '../remediation/remediation-report.js';
import { remediationRunFacts } from '../remediation/run-facts.js';

/** A run's re-decisions and triggers kept in its record: a long incident keeps its first ones and says how many there were. */
export const MAX_RECORDED_RUN_ENTRIES = 32;
const MAX_REASON = 256;
const MAX_OUTCOME_REASON = 1_024;

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const gatewayId = z.string().regex(GATEWAY_ID_PATTERN);
const actions = z.array(z.enum(ACTIONS)).max(ACTIONS.length);
const reason = z.string().max(MAX_REASON);

/**
 * What one remediation run decided and how it ended, as the gateway's timeline keeps it: the
 * policy version it decided under, what started it, the verdicts that changed what it did, the
 * guardrails that refused, the outcome. Counts only: nothing about any client session.
 */
export const RecordedRunSchema = z.strictObject({
  kind: z.literal('run'),
  gatewayId,
  workflowId: z.string().min(1).max(256),
  runId: z.string().min(1).max(128),
  trigger: z.enum(TRIGGER_KINDS),
  requestedAt: z.number(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  policyVersion: z.int().positive().nullable(),
  policyMode: z.string().max(16).nullable(),
  dryRun: z.boolean(),
  /** The verdict the run acted on last, and its rule. */
  actions,
  rule: z.string().max(256).nullable(),
  /** When its first step taking the gateway out of rotation was done. */
  outOfRotationAt: z.number().nullable(),
  /** Every evaluation of the tree that changed what the run does (first, escalate, de-escalate). */
  decisions: z
    .array(z.strictObject({ at: z.number(), trigger: z.string().max(16), change: z.enum(['first', 'escalate', 'same', 'de-escalate']), actions, rule: z.string().max(256) }))
    .max(MAX_RECORDED_RUN_ENTRIES),
  /** Every trigger delivered to it (the first included), up to the cap; `triggerCount` says how many there were. */
  triggers: z.array(z.strictObject({ at: z.number(), trigger: z.enum(TRIGGER_KINDS), requestedAt: z.number(), reason })).max(MAX_RECORDED_RUN_ENTRIES),
  triggerCount: z.int().min(0),
  refusals: z.array(z.enum(['flap-damping', 'rate-limit', 'approval', 'operation', 'blast-radius'])).max(16),
  outcome: z.enum(REMEDIATION_OUTCOMES),
  outcomeReason: z.string().max(MAX_OUTCOME_REASON).nullable(),
  /** Sessions moved by its migration, and a gone gateway's clients counted back elsewhere. */
  migrated: z.int().min(0).nullable(),
  clientsBack: z.int().min(0).nullable(),
});
export type RecordedRun = z.output<typeof RecordedRunSchema>;

/**
 * A run started (or joined) by a trigger other than the detector's, recorded where it fired: the
 * lease-expiry watcher and the Kubernetes controller. The detector's own findings are its observations.
 */
export const RecordedTriggerSchema = z.strictObject({
  kind: z.literal('trigger'),
  gatewayId,
  trigger: z.enum(TRIGGER_KINDS),
  at: z.number(),
  reason,
  /** Who fired it: `lease-watcher`, `k8s:<identity>`. */
  source: z.string().min(1).max(128),
  workflowId: z.string().min(1).max(256),
  /** The run it started or joined; null when it was only delivered to an open run, or to none. */
  runId: z.string().max(128).nullable(),
  delivery: z.enum(['started', 'joined', 'delivered', 'not-delivered']),
});
export type RecordedTrigger = z.output<typeof RecordedTriggerSchema>;

export const TimelineEventSchema = z.discriminatedUnion('kind', [RecordedRunSchema, RecordedTriggerSchema]);
export type TimelineEvent = z.output<typeof TimelineEventSchema>;

/** When an event happened, for the timeline's order: when its trigger fired. */
export const timelineEventAt = (event: TimelineEvent): number => (event.kind === 'run' ? event.requestedAt : event.at);

/** A finished run's report as its timeline record (also for a run that has not finished: `finishedAt` null). */
export const recordedRunOf = (report: RemediationReport, run: { readonly workflowId: string; readonly runId: string }): RecordedRun => {
  const facts = remediationRunFacts(report);
  const triggers = report.triggers ?? [];
  return {
    kind: 'run',
    gatewayId: report.gatewayId,
    workflowId: run.workflowId,
    runId: run.runId,
    trigger: report.trigger,
    requestedAt: report.requestedAt,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt ?? null,
    policyVersion: report.policyVersion ?? null,
    policyMode: report.policyMode ?? null,
    dryRun: report.dryRun,
    actions: [...(report.decision?.actions ?? [])],
    rule: report.decision?.rule ?? null,
    outOfRotationAt: facts.outOfRotationMs === undefined ? null : report.requestedAt + facts.outOfRotationMs,
    decisions: (report.decisions ?? [])
      .filter((d) => d.change !== 'same')
      .slice(0, MAX_RECORDED_RUN_ENTRIES)
      .map((d) => ({ at: d.at, trigger: d.trigger, change: d.change, actions: [...d.actions], rule: clip(d.rule, 256) })),
    triggers: triggers.slice(0, MAX_RECORDED_RUN_ENTRIES).map((t) => ({ at: t.at, trigger: t.trigger, requestedAt: t.requestedAt, reason: clip(t.reason, MAX_REASON) })),
    triggerCount: triggers.length,
    refusals: facts.refusals.slice(0, 16),
    outcome: report.outcome,
    outcomeReason: report.outcomeReason === undefined ? null : clip(report.outcomeReason, MAX_OUTCOME_REASON),
    migrated: report.migration?.moved ?? null,
    clientsBack: report.clients?.seenElsewhere ?? null,
  };
};

/** A trigger's request as its timeline record, with what became of it. */
export const recordedTriggerOf = (
  request: Pick<RemediationRequest, 'gatewayId' | 'trigger' | 'reason' | 'requestedAt'>,
  source: string,
  run: { readonly workflowId: string; readonly runId: string | null; readonly delivery: RecordedTrigger['delivery'] },
): RecordedTrigger => ({
  kind: 'trigger',
  gatewayId: request.gatewayId,
  trigger: request.trigger,
  at: request.requestedAt,
  reason: clip(request.reason, MAX_REASON),
  source: clip(source, 128),
  ...run,
});

import { z } from 'zod';
import { ACTIONS } from '../decision/actions.js';
import { summariseAvailability } from '../detection/availability.js';
import { DETECTOR_RESPONSES, type GatewayDecision } from '../detection/decide-for-gateway.js';
import type { GatewaySnapshot } from '../detection/detection-signals.js';
import { BASELINE_METRICS } from '../health/ewma-baseline.js';
import type { Policy } from '../policy/policy-schema.js';

/** JSON has no NaN ("no evidence this window" to the scorer): it travels as null. */
const evidence = z.number().nullable();

const EwmaStatSchema = z.strictObject({ count: z.number().min(0), mean: z.number(), variance: z.number() });

/** The RTT window of one judged score: a second of pings, never more than the probe keeps. */
export const MAX_RECORDED_RTTS = 128;

/**
 * One moment of a gateway's timeline as one detector saw it: the measures its decision was
 * made from (before any policy interpreted them, where the lab can judge them again) and the
 * decision itself. Fleet-level only: nothing about any client session.
 */
export const TimelineObservationSchema = z.strictObject({
  gatewayId: z.string().min(1).max(63),
  detectorId: z.string().min(1).max(63),
  /** When this detector's monitor of the gateway started: alarm and baseline begin afresh with a new one. */
  streamSinceMs: z.number(),
  atMs: z.number(),
  policyVersion: z.int().positive(),
  /** The fleet-wide shadow switch (a degrade flag) was on. */
  shadowFlag: z.boolean(),
  probe: z.strictObject({
    leaseExpired: z.boolean(),
    transportLost: z.boolean(),
    consecutiveMisses: z.int().min(0),
    latePongs: z.int().min(0),
  }),
  reports: z.strictObject({
    writeBlocked: z.boolean(),
    retryPending: z.boolean(),
    shutdownNotice: z.boolean(),
    errorBurstAtMs: z.number().nullable(),
  }),
  vitalsWriteBlocked: z.boolean(),
  /** Over the availability window of the policy then in force. */
  availability: z.strictObject({
    observedMs: z.number().min(0),
    missedPongRatio: z.number().nullable(),
    stallsPerMinute: z.number().min(0),
    unavailableFraction: z.number().min(0),
  }),
  /** The last judged window (null before the first): what the score and the RTT spike were computed from. */
  health: z
    .strictObject({
      atMs: z.number(),
      rttSamplesMs: z.array(z.number()).max(MAX_RECORDED_RTTS),
      finRstPerSec: evidence,
      synRetransmitPerSec: evidence,
      writeBlockedRatio: evidence,
      heartbeatMisses: z.number().min(0),
      unavailableFraction: z.number().min(0).max(1).optional(),
      baseline: z.strictObject(Object.fromEntries(BASELINE_METRICS.map((m) => [m, EwmaStatSchema])) as Record<(typeof BASELINE_METRICS)[number], typeof EwmaStatSchema>),
      rttSpikeFloorMs: z.number().min(0),
    })
    .nullable(),
  alarm: z.strictObject({ firing: z.boolean(), pending: z.boolean() }),
  decision: z.strictObject({
    response: z.enum(DETECTOR_RESPONSES),
    actions: z.array(z.enum(ACTIONS)).max(ACTIONS.length),
    rule: z.string().max(256).nullable(),
    score: z.number(),
    signals: z.array(z.string().max(64)).max(16),
  }),
});

export type TimelineObservation = z.output<typeof TimelineObservationSchema>;

export interface ObservationContext {
  readonly gatewayId: string;
  readonly detectorId: string;
  readonly streamSinceMs: number;
  readonly policy: Policy;
  readonly shadowFlag: boolean;
  readonly rttSpikeFloorMs: number;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The parts of an observation a decision can turn on (see `worthRecording`): cheap to build,
 * so the detector builds only these at every ping and the whole observation only when it is kept.
 */
export type MaterialObservation = Omit<TimelineObservation, 'availability' | 'health'>;

/** The material part of {@link observationOf}. */
export const materialObservationOf = (ctx: ObservationContext, snapshot: GatewaySnapshot, decision: GatewayDecision): MaterialObservation => {
  const { probe, reports, health } = snapshot;
  const verdict = decision.evaluation?.verdict;
  return {
    gatewayId: ctx.gatewayId,
    detectorId: ctx.detectorId,
    streamSinceMs: ctx.streamSinceMs,
    atMs: snapshot.atMs,
    policyVersion: ctx.policy.version,
    shadowFlag: ctx.shadowFlag,
    probe: { leaseExpired: snapshot.leaseExpired, transportLost: probe.tier === 'transport-lost', consecutiveMisses: probe.consecutiveMisses, latePongs: probe.latePongs },
    reports: { writeBlocked: reports.writeBlocked, retryPending: reports.retryPending, shutdownNotice: reports.shutdownAtMs !== null, errorBurstAtMs: reports.errorBurstAtMs },
    vitalsWriteBlocked: snapshot.vitals?.writeBlocked === true,
    alarm: { firing: health.tracker.alarm === 'firing', pending: health.tracker.pendingSinceMs !== null },
    decision: {
      response: decision.response,
      actions: [...(verdict?.actions ?? [])],
      rule: verdict?.matchedRule?.name ?? null,
      score: decision.facts.score,
      signals: decision.signals.map((s) => `${s.tier}:${s.classification}`),
    },
  };
};

/** Completes a material observation of `snapshot` with the measures it was decided from. */
export const completeObservation = (material: MaterialObservation, ctx: ObservationContext, snapshot: GatewaySnapshot): TimelineObservation => {
  const scored = snapshot.health.scored;
  return {
    ...material,
    availability: summariseAvailability(snapshot.availability, snapshot.atMs, ctx.policy.detector.availability),
    health: scored === null ? null : {
      atMs: scored.atMs,
      rttSamplesMs: scored.vitals.rttSamplesMs.slice(-MAX_RECORDED_RTTS),
      finRstPerSec: orNull(scored.vitals.finRstPerSec),
      synRetransmitPerSec: orNull(scored.vitals.synRetransmitPerSec),
      writeBlockedRatio: orNull(scored.vitals.writeBlockedRatio),
      heartbeatMisses: scored.vitals.heartbeatMisses,
      ...(scored.vitals.unavailableFraction === undefined ? {} : { unavailableFraction: scored.vitals.unavailableFraction }),
      baseline: scored.baseline,
      rttSpikeFloorMs: ctx.rttSpikeFloorMs,
    },
  };
};

/** What the detector decided about a gateway and from what, as a timeline records it. */
export const observationOf = (ctx: ObservationContext, snapshot: GatewaySnapshot, decision: GatewayDecision): TimelineObservation =>
  completeObservation(materialObservationOf(ctx, snapshot, decision), ctx, snapshot);

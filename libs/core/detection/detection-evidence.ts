import { z } from 'zod';
import type { Policy } from '../policy/policy-schema.js';
import { DETECTOR_RESPONSES, type GatewayDecision } from './decide-for-gateway.js';
import { DETECTION_CLASSES, DETECTION_TIERS, type GatewaySnapshot } from './detection-signals.js';
import { summarisePath } from './path-summary.js';
import { summariseAvailability } from './availability.js';

/** Enough RTTs to see a trend in a reason without drowning it. */
export const EVIDENCE_RTTS = 8;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1_000) / 1_000;

const roundedAvailability = (snapshot: GatewaySnapshot, policy: Policy) => {
  const a = summariseAvailability(snapshot.availability, snapshot.atMs, policy.detector.availability);
  return {
    observedMs: Math.round(a.observedMs),
    missedPongRatio: a.missedPongRatio === null ? null : round3(a.missedPongRatio),
    stallsPerMinute: round1(a.stallsPerMinute),
    unavailableFraction: round3(a.unavailableFraction),
  };
};

/**
 * What one detector saw about one gateway when it acted (or, in shadow mode, would have).
 * It travels in the remediation request's reason, in the detector's log and in etcd at
 * `/homeostat/detections/<gatewayId>`, so a run can always say why it was started.
 */
export const DetectionEvidenceSchema = z.object({
  detectorId: z.string(),
  gatewayId: z.string(),
  atMs: z.number(),
  tier: z.enum(DETECTION_TIERS),
  classification: z.enum(DETECTION_CLASSES),
  /** Every signal that was up, strongest first, as `tier:classification`. */
  signals: z.array(z.string()),
  probe: z.object({
    consecutiveMisses: z.number(),
    latePongs: z.number(),
    lastRttsMs: z.array(z.number()),
    msSinceLastPong: z.number().nullable(),
    transport: z.string().nullable(),
  }),
  rtt: z.object({ medianMs: z.number().nullable(), thresholdMs: z.number().nullable(), baselineMs: z.number().nullable() }),
  /** Over the availability window (absent in records of detectors that did not track it). */
  availability: z
    .object({ observedMs: z.number(), missedPongRatio: z.number().nullable(), stallsPerMinute: z.number(), unavailableFraction: z.number() })
    .optional(),
  selfReport: z.object({ kind: z.string(), at: z.number(), detail: z.record(z.string(), z.unknown()).optional() }).nullable(),
  score: z.number(),
  /** The predicates that held. */
  facts: z.array(z.string()),
  verdict: z.object({ actions: z.array(z.string()), rule: z.string().nullable() }),
  path: z.string(),
  policy: z.object({ version: z.number(), mode: z.string() }),
  response: z.enum(DETECTOR_RESPONSES),
});

export type DetectionEvidence = z.infer<typeof DetectionEvidenceSchema>;

export const buildDetectionEvidence = (
  ids: { readonly detectorId: string; readonly gatewayId: string },
  snapshot: GatewaySnapshot,
  decision: GatewayDecision,
  policy: Policy,
): DetectionEvidence => {
  const [primary] = decision.signals;
  if (!primary || !decision.evaluation) throw new Error(`no signal is up for ${ids.gatewayId}: there is nothing to give evidence of`);
  const { probe, reports, health } = snapshot;
  const { verdict } = decision.evaluation;
  const { score: _score, ...booleans } = decision.facts;
  return {
    ...ids,
    atMs: Math.round(snapshot.atMs),
    tier: primary.tier,
    classification: primary.classification,
    signals: decision.signals.map((s) => `${s.tier}:${s.classification}`),
    probe: {
      consecutiveMisses: probe.consecutiveMisses,
      latePongs: probe.latePongs,
      lastRttsMs: probe.rttsMs.slice(-EVIDENCE_RTTS).map(round1),
      msSinceLastPong: probe.lastPongAtMs === null ? null : Math.round(snapshot.atMs - probe.lastPongAtMs),
      transport: probe.transportLost?.cause ?? null,
    },
    rtt: {
      medianMs: health.rtt.medianMs === null ? null : round1(health.rtt.medianMs),
      thresholdMs: health.rtt.thresholdMs === null ? null : round1(health.rtt.thresholdMs),
      baselineMs: health.rtt.baselineMs === null ? null : round1(health.rtt.baselineMs),
    },
    availability: roundedAvailability(snapshot, policy),
    selfReport: reports.latest ? { kind: reports.latest.kind, at: reports.latest.at, ...(reports.latest.detail ? { detail: reports.latest.detail } : {}) } : null,
    score: Math.round(decision.facts.score),
    facts: Object.entries(booleans).filter(([, holds]) => holds).map(([name]) => name),
    verdict: { actions: [...verdict.actions], rule: verdict.matchedRule?.name ?? null },
    path: summarisePath(decision.evaluation),
    policy: { version: policy.version, mode: policy.mode },
    response: decision.response,
  };
};

import { actionSeverity, mostSevereAction } from '../decision/actions.js';
import { summarisePath } from '../detection/path-summary.js';
import type { Policy } from '../policy/policy-schema.js';
import { replayGuardrails, type RemovalAttempt } from './guardrail-replay.js';
import { incidentSpans, type IncidentSpan, type JudgedObservation } from './incidents.js';
import { replayStream, type ReplayedDecision } from './replay-stream.js';
import { responderStarts } from './responder-starts.js';
import type { DecisionMismatch, GuardrailBlock, IncidentHandling, SimulatedIncident, SimulationResult } from './simulation-result.js';
import { differenceOf, summariseSimulation } from './simulation-summary.js';
import { type TimelineEvent, timelineEventAt } from './timeline-event.js';
import type { TimelineObservation } from './timeline-observation.js';
import { attributeEvents, unmatchedDetectorRuns } from './what-happened.js';

export interface SimulationInput {
  /** The policy to try; judged as if it enforced, whatever its `mode`. */
  readonly candidate: Policy;
  /** Every version the observations were recorded under, by version number. */
  readonly policies: ReadonlyMap<number, Policy>;
  readonly observations: readonly TimelineObservation[];
  /** The runs recorded when they ended and the non-detector triggers: what actually happened. */
  readonly events?: readonly TimelineEvent[];
  /** Incidents that touch this window are reported; earlier observations only warm the replay up. */
  readonly window: { readonly fromMs: number; readonly untilMs: number };
  /** The fleet the blast radius is counted over (default: every gateway with a timeline). */
  readonly fleet?: readonly string[];
  readonly maxIncidents?: number;
}

export class MissingPolicyVersionsError extends Error {
  override readonly name = 'MissingPolicyVersionsError';
  constructor(readonly versions: readonly number[]) {
    super(`the timelines were recorded under policy versions that are not stored: ${versions.join(', ')}`);
  }
}

const DEFAULT_MAX_INCIDENTS = 1_000;
const MAX_MISMATCHES = 20;

const byTime = (a: TimelineObservation, b: TimelineObservation): number => a.atMs - b.atMs;

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

const describeDecision = (response: string, actions: readonly string[], rule: string | null, score: number, signals: readonly string[]): string =>
  `${response} ${actions.join('+') || '-'} by ${rule ?? 'otherwise'} (score ${score}; ${signals.join(', ') || 'no signal'})`;

const mismatchOf = (d: ReplayedDecision): DecisionMismatch | null => {
  const { observation: o, decision } = d;
  const verdict = decision.evaluation?.verdict;
  const replayed = describeDecision(decision.response, verdict?.actions ?? [], verdict?.matchedRule?.name ?? null, decision.facts.score, decision.signals.map((s) => `${s.tier}:${s.classification}`));
  const recorded = describeDecision(o.decision.response, o.decision.actions, o.decision.rule, o.decision.score, o.decision.signals);
  return replayed === recorded ? null : { gatewayId: o.gatewayId, detectorId: o.detectorId, atMs: o.atMs, recorded, replayed };
};

/** The decision an incident is explained by: the start, else the most severe verdict, else the first. */
const decisiveOf = (decisions: readonly ReplayedDecision[], start: ReplayedDecision | undefined): ReplayedDecision => {
  if (start) return start;
  const severity = (d: ReplayedDecision): number => actionSeverity(mostSevereAction(d.decision.evaluation?.verdict.actions ?? ['none']));
  return decisions.reduce((worst, d) => (severity(d) > severity(worst) ? d : worst), decisions[0] as ReplayedDecision);
};

const handlingOf = (
  decisions: readonly ReplayedDecision[],
  start: ReplayedDecision | undefined,
  blockedBy: GuardrailBlock | null,
  onsetMs: number,
  version: number | null,
): IncidentHandling => {
  const { decision } = decisiveOf(decisions, start);
  const verdict = decision.evaluation?.verdict;
  const { score, ...booleans } = decision.facts;
  const removedAtMs = start && blockedBy === null ? start.observation.atMs : null;
  return {
    removedAtMs,
    timeToRemovalMs: removedAtMs === null ? null : removedAtMs - onsetMs,
    blockedBy,
    response: decision.response,
    actions: verdict?.actions ?? [],
    rule: verdict?.matchedRule?.name ?? null,
    path: decision.evaluation ? summarisePath(decision.evaluation) : null,
    facts: Object.entries(booleans).filter(([, holds]) => holds).map(([name]) => name),
    score,
    policyVersion: version,
  };
};

interface GatewayReplay {
  readonly spans: IncidentSpan[];
  readonly inForceStarts: ReplayedDecision[];
  readonly candidateStarts: ReplayedDecision[];
  readonly mismatches: DecisionMismatch[];
  readonly decisions: number;
}

/**
 * Replays one gateway's streams (one per detector that watched it) under both policies. Streams
 * of several detectors are merged by time; a start is the earliest of theirs.
 */
const replayGateway = (gatewayId: string, observations: readonly TimelineObservation[], recordedPolicy: (o: TimelineObservation) => Policy, candidate: Policy): GatewayReplay => {
  const judged: JudgedObservation[] = [];
  const inForceStarts: ReplayedDecision[] = [];
  const candidateStarts: ReplayedDecision[] = [];
  const mismatches: DecisionMismatch[] = [];
  for (const stream of groupBy(observations, (o) => o.detectorId).values()) {
    const inForce = replayStream(stream, { policyFor: recordedPolicy, honourShadowFlag: true });
    const asCandidate = replayStream(stream, { policyFor: () => candidate, honourShadowFlag: false });
    inForce.forEach((d, i) => judged.push({ inForce: d, candidate: asCandidate[i] as ReplayedDecision }));
    mismatches.push(...inForce.map(mismatchOf).filter((m): m is DecisionMismatch => m !== null));
    inForceStarts.push(...responderStarts(inForce, (d) => recordedPolicy(d.observation).guardrails.rateLimit.perGatewayCooldownMs));
    candidateStarts.push(...responderStarts(asCandidate, () => candidate.guardrails.rateLimit.perGatewayCooldownMs));
  }
  judged.sort((a, b) => byTime(a.inForce.observation, b.inForce.observation));
  return { spans: incidentSpans(gatewayId, judged), inForceStarts, candidateStarts, mismatches, decisions: judged.length };
};

/** Another attempt to remove the gateway within the flap-damping window of an earlier one (blocked or not). */
const wouldFlap = (attemptedAt: Map<string, number[]>, gatewayId: string, atMs: number | undefined, windowMs: number): boolean => {
  if (atMs === undefined) return false;
  const earlier = attemptedAt.get(gatewayId) ?? [];
  attemptedAt.set(gatewayId, [...earlier, atMs]);
  return earlier.some((t) => atMs - t <= windowMs);
};

const firstStartIn = (span: IncidentSpan, starts: readonly ReplayedDecision[]): ReplayedDecision | undefined => {
  const from = span.judged[0]?.inForce.observation.atMs ?? 0;
  const until = span.judged.at(-1)?.inForce.observation.atMs ?? 0;
  return starts.filter((s) => s.observation.atMs >= from && s.observation.atMs <= until).sort((a, b) => byTime(a.observation, b.observation))[0];
};

/**
 * What a candidate policy would have done over recorded timelines, next to what the policy in
 * force did. Pure: it reads only its input (no clock, no I/O) and returns a new value.
 */
export const simulatePolicy = (input: SimulationInput): SimulationResult => {
  const missing = [...new Set(input.observations.map((o) => o.policyVersion))].filter((v) => !input.policies.has(v)).sort((a, b) => a - b);
  if (missing.length > 0) throw new MissingPolicyVersionsError(missing);
  const recordedPolicy = (o: TimelineObservation): Policy => input.policies.get(o.policyVersion) as Policy;
  const candidate: Policy = { ...input.candidate, mode: 'enforce' };
  const observations = [...input.observations].sort(byTime);
  const replays = [...groupBy(observations, (o) => o.gatewayId)].map(([gatewayId, own]) => replayGateway(gatewayId, own, recordedPolicy, candidate));
  const spans = replays.flatMap((r) => r.spans.map((span) => ({ span, replay: r })));
  spans.sort((a, b) => byTime(a.span.judged[0]!.inForce.observation, b.span.judged[0]!.inForce.observation) || a.span.gatewayId.localeCompare(b.span.gatewayId));
  const starts = spans.map(({ span, replay }) => ({ inForce: firstStartIn(span, replay.inForceStarts), candidate: firstStartIn(span, replay.candidateStarts) }));
  const fleet = input.fleet ?? [...new Set(observations.map((o) => o.gatewayId))];
  const attempt = (span: IncidentSpan, start: ReplayedDecision, policy: Policy): RemovalAttempt => ({
    gatewayId: span.gatewayId,
    atMs: start.observation.atMs,
    backAtMs: span.endedAtMs ?? Number.POSITIVE_INFINITY,
    guardrails: policy.guardrails,
  });
  const blocksFor = (side: 'inForce' | 'candidate', policyOf: (s: ReplayedDecision) => Policy): (GuardrailBlock | null)[] => {
    const indexed = starts.flatMap((s, i) => (s[side] ? [{ i, a: attempt(spans[i]!.span, s[side], policyOf(s[side])) }] : []));
    const blocks = replayGuardrails(indexed.map((x) => x.a), fleet);
    const byIndex = new Map(indexed.map((x, k) => [x.i, blocks[k] ?? null]));
    return spans.map((_, i) => byIndex.get(i) ?? null);
  };
  const inForceBlocks = blocksFor('inForce', (s) => recordedPolicy(s.observation));
  const candidateBlocks = blocksFor('candidate', () => candidate);
  const attemptedAt = new Map<string, number[]>();
  const windows = spans.map(({ span }, i) => ({ gatewayId: span.gatewayId, onsetMs: span.onsetMs, endedAtMs: span.endedAtMs, inForceStarted: starts[i]!.inForce !== undefined }));
  const attribution = attributeEvents(windows, input.events ?? []);
  const incidents = spans.map(({ span }, i): SimulatedIncident => {
    const first = span.judged[0]!;
    const fromMs = first.inForce.observation.atMs;
    const inForce = handlingOf(span.judged.map((j) => j.inForce), starts[i]!.inForce, inForceBlocks[i]!, span.onsetMs, first.inForce.observation.policyVersion);
    const asCandidate = handlingOf(span.judged.map((j) => j.candidate), starts[i]!.candidate, candidateBlocks[i]!, span.onsetMs, null);
    const flapped = wouldFlap(attemptedAt, span.gatewayId, starts[i]!.candidate?.observation.atMs, candidate.guardrails.flapDamping.windowMs);
    const recordedSignals = [...new Set(span.judged.flatMap((j) => j.inForce.observation.decision.signals))];
    return {
      gatewayId: span.gatewayId,
      onsetMs: span.onsetMs,
      fromMs,
      untilMs: span.judged.at(-1)!.inForce.observation.atMs,
      endedAtMs: span.endedAtMs,
      recoveredOnItsOwn: span.endedAtMs !== null && starts[i]!.inForce === undefined,
      signals: recordedSignals,
      inForce,
      happened: attribution.happened[i]!,
      candidate: { ...asCandidate, flapped },
      difference: differenceOf(inForce, asCandidate),
    };
  });
  const { fromMs, untilMs } = input.window;
  const inWindow = incidents.filter((x) => x.untilMs >= fromMs && x.fromMs <= untilMs);
  const withinWindow = (at: number): boolean => at >= fromMs && at <= untilMs;
  const outside = attribution.outside.filter((e) => withinWindow(timelineEventAt(e)));
  const maxIncidents = input.maxIncidents ?? DEFAULT_MAX_INCIDENTS;
  const mismatches = replays.flatMap((r) => r.mismatches);
  const decisions = replays.reduce((n, r) => n + r.decisions, 0);
  const runMismatches = unmatchedDetectorRuns(windows, attribution).filter((m) => withinWindow(m.requestedAt));
  const detectorRuns = (input.events ?? []).filter((e) => e.kind === 'run' && e.trigger === 'detector' && !e.dryRun && withinWindow(e.requestedAt)).length;
  return {
    summary: summariseSimulation({
      window: input.window,
      gateways: replays.length,
      observations: observations.length,
      incidents: inWindow,
      outside,
      determinism: {
        decisions,
        reproduced: decisions - mismatches.length,
        mismatches: mismatches.slice(0, MAX_MISMATCHES),
        runs: { recorded: detectorRuns, reproduced: detectorRuns - runMismatches.length, mismatches: runMismatches.slice(0, MAX_MISMATCHES) },
      },
    }),
    incidents: inWindow.slice(0, maxIncidents),
    outsideIncidents: outside.slice(0, maxIncidents),
    truncated: inWindow.length > maxIncidents || outside.length > maxIncidents,
  };
};

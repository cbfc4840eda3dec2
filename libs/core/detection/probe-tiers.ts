import type { DetectorSettings } from '../policy/detector-policy.js';
import { NEVER_STALLED, type StalledWithin } from './own-stalls.js';

/** What the tiers need of the detector settings. */
export type ProbeSettings = Pick<DetectorSettings, 'pongTimeoutMs' | 'missesToSuspect'>;

/**
 * The fast-path tiers of DESIGN.md for one gateway's control channel:
 * - `missing` (L1): at least one pong came later than `pongTimeoutMs` (or not at all);
 * - `suspect` (L2): `missesToSuspect` consecutive misses;
 * - `transport-lost` (L3): the socket itself closed, errored or was refused.
 */
export type ProbeTier = 'healthy' | 'missing' | 'suspect' | 'transport-lost';

export interface PendingPing {
  readonly id: number;
  readonly sentAtMs: number;
  readonly deadlineMs: number;
}

/** Plain data, advanced only by the functions below, so every transition is testable without sockets. */
export interface ProbeState {
  readonly tier: ProbeTier;
  readonly pending: readonly PendingPing[];
  readonly consecutiveMisses: number;
  /** Pongs of the current miss streak that did arrive, only late: the gateway is slow, not silent. */
  readonly latePongs: number;
  /** When the first ping of the current miss streak was sent. */
  readonly streakSinceMs: number | null;
  /** Round trips (ms), newest last, late ones included: they are the evidence of a slow gateway. */
  readonly rttsMs: readonly number[];
  readonly lastPongAtMs: number | null;
  readonly transportLost: { readonly cause: string; readonly atMs: number } | null;
}

export type ProbeEvent =
  | { readonly kind: 'miss'; readonly pingId: number; readonly consecutiveMisses: number }
  | { readonly kind: 'suspect'; readonly consecutiveMisses: number }
  | { readonly kind: 'transport-lost'; readonly cause: string }
  | { readonly kind: 'recovered'; readonly from: ProbeTier };

export interface ProbeStep {
  readonly state: ProbeState;
  readonly events: readonly ProbeEvent[];
}

/** Enough history for evidence and a second of RTT window at 10 ms pings. */
export const RTT_HISTORY = 128;

/** Pings that can be pending at once; older ones are long past their deadline and already counted. */
const MAX_PENDING = 64;

/** A pong that echoes a timestamp older than this is garbage, not a round trip. */
const MAX_PLAUSIBLE_RTT_MS = 60_000;

export const INITIAL_PROBE_STATE: ProbeState = Object.freeze({
  tier: 'healthy',
  pending: [],
  consecutiveMisses: 0,
  latePongs: 0,
  streakSinceMs: null,
  rttsMs: [],
  lastPongAtMs: null,
  transportLost: null,
});

const withRtt = (rtts: readonly number[], rttMs: number): number[] => [...rtts, rttMs].slice(-RTT_HISTORY);

export const recordPingSent = (state: ProbeState, id: number, atMs: number, settings: ProbeSettings): ProbeState => ({
  ...state,
  pending: [...state.pending, { id, sentAtMs: atMs, deadlineMs: atMs + settings.pongTimeoutMs }].slice(-MAX_PENDING),
});

/** Counts one more miss; the streak becomes `suspect` when it reaches `missesToSuspect`. */
const countMiss = (state: ProbeState, ping: PendingPing, settings: ProbeSettings, events: ProbeEvent[]): ProbeState => {
  const consecutiveMisses = state.consecutiveMisses + 1;
  events.push({ kind: 'miss', pingId: ping.id, consecutiveMisses });
  let tier = state.tier;
  if (tier !== 'transport-lost' && tier !== 'suspect') {
    tier = consecutiveMisses >= settings.missesToSuspect ? 'suspect' : 'missing';
    if (tier === 'suspect') events.push({ kind: 'suspect', consecutiveMisses });
  }
  return { ...state, tier, consecutiveMisses, streakSinceMs: state.streakSinceMs ?? ping.sentAtMs };
};

/**
 * Every pending ping whose deadline has passed is a miss (L1), and enough in a row make L2.
 * Time the detector itself stood still since a ping was sent does not count against it.
 */
export const expireOverduePings = (state: ProbeState, atMs: number, settings: ProbeSettings, stalledWithin: StalledWithin = NEVER_STALLED): ProbeStep => {
  const events: ProbeEvent[] = [];
  let next = state;
  const overdue = (ping: PendingPing): boolean => ping.deadlineMs < atMs - stalledWithin(ping.sentAtMs, atMs);
  const expired = state.pending.filter(overdue);
  for (const ping of expired) next = countMiss(next, ping, settings, events);
  if (events.length === 0) return { state, events };
  return { state: { ...next, pending: state.pending.filter((p) => !expired.includes(p)) }, events };
};

/**
 * A pong in time ends any miss streak. A late one is still a miss, and it is remembered
 * (with its RTT) because it tells a slow gateway from a silent one. The round trip leaves
 * out the time the detector itself stood still (the pong may have sat unread meanwhile).
 */
export const recordPong = (
  state: ProbeState,
  pong: { readonly id: number; readonly sentAt: number },
  readAtMs: number,
  settings: ProbeSettings,
  stalledWithin: StalledWithin = NEVER_STALLED,
): ProbeStep => {
  const events: ProbeEvent[] = [];
  // A pong cannot outlive its socket; one that shows up anyway belongs to a channel already written off.
  if (state.tier === 'transport-lost') return { state, events };
  const ping = state.pending.find((p) => p.id === pong.id);
  const sentAtMs = ping?.sentAtMs ?? pong.sentAt;
  const rttMs = readAtMs - sentAtMs - stalledWithin(sentAtMs, readAtMs);
  if (!(rttMs >= 0 && rttMs <= MAX_PLAUSIBLE_RTT_MS)) return { state, events };
  let next: ProbeState = {
    ...state,
    pending: state.pending.filter((p) => p.id !== pong.id),
    rttsMs: withRtt(state.rttsMs, rttMs),
    lastPongAtMs: readAtMs,
  };
  const inTime = ping !== undefined && sentAtMs + rttMs <= ping.deadlineMs;
  if (!inTime) {
    // Not yet counted when its deadline passed between two expiry checks: count it now.
    if (ping !== undefined) next = countMiss(next, ping, settings, events);
    return { state: { ...next, latePongs: next.consecutiveMisses > 0 ? next.latePongs + 1 : 0 }, events };
  }
  const recoveredFrom = next.tier;
  next = { ...next, tier: 'healthy', consecutiveMisses: 0, latePongs: 0, streakSinceMs: null };
  if (recoveredFrom !== 'healthy') events.push({ kind: 'recovered', from: recoveredFrom });
  return { state: next, events };
};

/** L3: the channel is gone; pending pings can no longer be answered, so they are dropped, not counted. */
export const recordTransportLost = (state: ProbeState, cause: string, atMs: number): ProbeStep => {
  if (state.tier === 'transport-lost') return { state, events: [] };
  return {
    state: { ...state, tier: 'transport-lost', pending: [], transportLost: { cause, atMs } },
    events: [{ kind: 'transport-lost', cause }],
  };
};

/** A (re)opened channel starts a fresh streak; the RTT history is kept as evidence. */
export const recordTransportUp = (state: ProbeState): ProbeStep => {
  const next: ProbeState = { ...INITIAL_PROBE_STATE, rttsMs: state.rttsMs, lastPongAtMs: state.lastPongAtMs };
  return { state: next, events: state.tier === 'healthy' ? [] : [{ kind: 'recovered', from: state.tier }] };
};

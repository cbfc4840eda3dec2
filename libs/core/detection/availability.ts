import type { AvailabilitySettings } from '../policy/detector-policy.js';
import type { PendingPing, ProbeEvent } from './probe-tiers.js';

/** One stretch of silence: from the first ping that missed its deadline to the next pong. */
export interface Stall {
  readonly startMs: number;
  /** Null while the gateway is still silent. */
  readonly endMs: number | null;
}

/** Ping outcomes per whole second, so a window of any length costs a bounded amount of memory. */
interface SecondBucket {
  readonly second: number;
  readonly answered: number;
  readonly missed: number;
}

/**
 * How available a gateway has been over a sliding window, from the detector's pings:
 * short freezes that never reach `missesToSuspect` (a gateway stuck 400 ms out of every
 * 2 s) stay invisible to the tiers but show up here as stalls and missed pongs.
 */
export interface AvailabilityState {
  readonly since: number | null;
  readonly buckets: readonly SecondBucket[];
  /** Oldest first; the last one may still be open. */
  readonly stalls: readonly Stall[];
}

export const INITIAL_AVAILABILITY_STATE: AvailabilityState = Object.freeze({ since: null, buckets: [], stalls: [] });

export interface AvailabilitySummary {
  /** How much of the window was observed (ms): a gateway just met is not judged yet. */
  readonly observedMs: number;
  /** Pongs that missed their deadline / pings judged, 0..1 (null: no ping judged). */
  readonly missedPongRatio: number | null;
  /** Stalls that began within the window, per minute of observation. */
  readonly stallsPerMinute: number;
  /** Share of the observed window spent stalled, 0..1. */
  readonly unavailableFraction: number;
}

/** More stalls than this are forgotten first (at 100 ms pings a minute holds at most 600). */
const MAX_STALLS = 1_024;

const openStall = (state: AvailabilityState): Stall | undefined => {
  const last = state.stalls.at(-1);
  return last && last.endMs === null ? last : undefined;
};

const count = (state: AvailabilityState, atMs: number, outcome: 'answered' | 'missed', windowMs: number): readonly SecondBucket[] => {
  const second = Math.floor(atMs / 1_000);
  const oldest = Math.floor((atMs - windowMs) / 1_000);
  // Called for every pong: the buckets are copied only when one has left the window.
  const kept = state.buckets.every((b) => b.second > oldest) ? state.buckets : state.buckets.filter((b) => b.second > oldest);
  const last = kept.at(-1);
  const bump = (b: SecondBucket): SecondBucket => ({ ...b, [outcome]: b[outcome] + 1 });
  if (last && last.second === second) return [...kept.slice(0, -1), bump(last)];
  return [...kept, bump({ second, answered: 0, missed: 0 })];
};

const inWindow = (stall: Stall, atMs: number, windowMs: number): boolean => stall.endMs === null || stall.endMs > atMs - windowMs;

/** The same array when nothing is to go (the usual case, at every pong): no copy. */
const trimStalls = (stalls: readonly Stall[], atMs: number, windowMs: number): readonly Stall[] =>
  stalls.length <= MAX_STALLS && stalls.every((s) => inWindow(s, atMs, windowMs)) ? stalls : stalls.filter((s) => inWindow(s, atMs, windowMs)).slice(-MAX_STALLS);

/**
 * A ping went past its deadline (sent at `sentAtMs`): a stall begins, unless one is under way
 * or the ping was sent during the last one (its miss is often judged only after a later
 * ping's pong already ended that stall): the same freeze is never counted twice.
 */
export const recordMissedPong = (state: AvailabilityState, sentAtMs: number, atMs: number, settings: AvailabilitySettings): AvailabilityState => {
  const last = state.stalls.at(-1);
  const sameFreeze = last !== undefined && (last.endMs === null || sentAtMs < last.endMs);
  const stalls = sameFreeze ? state.stalls : [...state.stalls, { startMs: sentAtMs, endMs: null }];
  return {
    since: state.since ?? sentAtMs,
    buckets: count(state, atMs, 'missed', settings.windowMs),
    stalls: trimStalls(stalls, atMs, settings.windowMs),
  };
};

/** A pong arrived (on time or late): any stall under way ends now. */
export const recordAnswer = (state: AvailabilityState, onTime: boolean, atMs: number, settings: AvailabilitySettings): AvailabilityState => {
  const open = openStall(state);
  const stalls = open ? [...state.stalls.slice(0, -1), { startMs: open.startMs, endMs: atMs }] : state.stalls;
  return {
    since: state.since ?? atMs,
    buckets: onTime ? count(state, atMs, 'answered', settings.windowMs) : state.buckets,
    stalls: trimStalls(stalls, atMs, settings.windowMs),
  };
};

export const summariseAvailability = (state: AvailabilityState, atMs: number, settings: AvailabilitySettings): AvailabilitySummary => {
  const windowStart = Math.max(atMs - settings.windowMs, state.since ?? atMs);
  const observedMs = Math.max(0, atMs - windowStart);
  const oldest = Math.floor((atMs - settings.windowMs) / 1_000);
  const buckets = state.buckets.filter((b) => b.second > oldest);
  const answered = buckets.reduce((n, b) => n + b.answered, 0);
  const missed = buckets.reduce((n, b) => n + b.missed, 0);
  let stalledMs = 0;
  let began = 0;
  for (const stall of state.stalls) {
    const from = Math.max(stall.startMs, windowStart);
    const to = Math.min(stall.endMs ?? atMs, atMs);
    if (to > from) stalledMs += to - from;
    if (stall.startMs >= windowStart) began += 1;
  }
  return {
    observedMs,
    missedPongRatio: answered + missed > 0 ? missed / (answered + missed) : null,
    stallsPerMinute: observedMs > 0 ? (began * 60_000) / observedMs : 0,
    unavailableFraction: observedMs > 0 ? Math.min(1, stalledMs / observedMs) : 0,
  };
};

/**
 * Intermittent trouble: enough observation, and both repeated stalls and a real share of
 * time unavailable. One long stall is the tiers' business (suspect), not this predicate's.
 */
export const isIntermittent = (summary: AvailabilitySummary, settings: AvailabilitySettings): boolean =>
  summary.observedMs >= settings.minObservedMs &&
  summary.stallsPerMinute >= settings.intermittentStallsPerMinute &&
  summary.unavailableFraction >= settings.intermittentUnavailableFraction;

/**
 * Folds the misses among one probe step's events in: each stall starts when its first
 * missed ping was sent (`pendingBefore` is the probe's pending list before the step).
 */
export const recordProbeMisses = (
  state: AvailabilityState,
  events: readonly ProbeEvent[],
  pendingBefore: readonly PendingPing[],
  atMs: number,
  settings: AvailabilitySettings,
): AvailabilityState =>
  events.reduce((next, event) => {
    if (event.kind !== 'miss') return next;
    const sentAtMs = pendingBefore.find((p) => p.id === event.pingId)?.sentAtMs ?? atMs;
    return recordMissedPong(next, sentAtMs, atMs, settings);
  }, state);

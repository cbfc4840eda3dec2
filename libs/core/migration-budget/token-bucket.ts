/** A budget: tokens flow in at `perSecond` and pile up to at most `burst`. */
export interface BucketRate {
  readonly perSecond: number;
  readonly burst: number;
}

/** What a bucket holds, as of `at` (ms since the epoch). */
export interface BucketLevel {
  readonly tokens: number;
  readonly at: number;
}

export type TakeOutcome =
  | { readonly granted: true; readonly level: BucketLevel }
  /** Nothing taken; `waitMs` is how long until `count` tokens are there, if nobody else takes any. */
  | { readonly granted: false; readonly level: BucketLevel; readonly waitMs: number };

/**
 * The level at `now`: a bucket never seen is full; tokens accrue for the time
 * elapsed since its last change, capped at the burst. A clock behind the
 * record's (another worker's, skewed) adds nothing and never moves `at` back,
 * so skew cannot mint tokens by replaying the same interval twice.
 */
export const refill = (level: BucketLevel | undefined, rate: BucketRate, now: number): BucketLevel => {
  if (!level) return { tokens: rate.burst, at: now };
  const elapsedMs = Math.max(0, now - level.at);
  return { tokens: Math.min(rate.burst, level.tokens + (elapsedMs * rate.perSecond) / 1_000), at: Math.max(level.at, now) };
};

const requireTakeable = (rate: BucketRate, count: number): void => {
  if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new RangeError(`a budget needs perSecond > 0 and burst ≥ 1 (got ${rate.perSecond}/s, burst ${rate.burst})`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`tokens are taken in whole positive numbers (got ${count})`);
  if (count > rate.burst) throw new RangeError(`cannot take ${count} tokens at once from a bucket of burst ${rate.burst}: split the take (largestTake)`);
};

/** Milliseconds until `count` tokens are in a bucket at `level`, with nobody else taking (0: there now). */
export const waitForTokens = (level: BucketLevel, rate: BucketRate, count: number): number =>
  level.tokens >= count ? 0 : Math.ceil(((count - level.tokens) * 1_000) / rate.perSecond);

/** Takes `count` tokens at `now`, all or none. */
export const takeTokens = (level: BucketLevel | undefined, rate: BucketRate, count: number, now: number): TakeOutcome => {
  requireTakeable(rate, count);
  const current = refill(level, rate, now);
  const waitMs = waitForTokens(current, rate, count);
  if (waitMs > 0) return { granted: false, level: current, waitMs };
  return { granted: true, level: { tokens: current.tokens - count, at: current.at } };
};

/**
 * Takes `count` tokens from every bucket or from none: a batch needs the fleet's
 * sessions budget and its target's reconnects budget at once, and holding one
 * while waiting for the other would waste it. The wait is the longest of them.
 */
export const takeFromAll = (
  levels: readonly (BucketLevel | undefined)[],
  rates: readonly BucketRate[],
  count: number,
  now: number,
): { readonly granted: true; readonly levels: BucketLevel[] } | { readonly granted: false; readonly waitMs: number } => {
  if (levels.length !== rates.length) throw new RangeError(`${levels.length} bucket levels for ${rates.length} rates`);
  const outcomes = rates.map((rate, i) => takeTokens(levels[i], rate, count, now));
  const waitMs = Math.max(0, ...outcomes.map((o) => (o.granted ? 0 : o.waitMs)));
  return waitMs > 0 ? { granted: false, waitMs } : { granted: true, levels: outcomes.map((o) => o.level) };
};

/** The most tokens one take may ask of all these buckets: a bigger batch goes in several takes. */
export const largestTake = (rates: readonly BucketRate[], count: number): number => Math.max(1, Math.min(count, ...rates.map((r) => Math.floor(r.burst))));

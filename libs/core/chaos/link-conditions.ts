/** What a link does to every chunk it carries, in each direction. */
export interface LinkConditions {
  /** Added one-way delay (ms). */
  readonly delayMs: number;
  /** The delay varies uniformly by up to this much either way (ms); order is kept regardless. */
  readonly jitterMs: number;
  /** Share of chunks (0–1) that are "lost": held back for a retransmission timeout, with everything behind them. */
  readonly lossRate: number;
}

/** A link that adds nothing: forwards every chunk at once. */
export const GOOD_LINK: LinkConditions = { delayMs: 0, jitterMs: 0, lossRate: 0 };

/**
 * How long a lost segment holds up its stream: Linux retransmits after at least its
 * minimum RTO (200 ms); at a few messages a second there are rarely three duplicate acks
 * for a fast retransmit, so the timeout is what a lost segment costs.
 */
export interface RetransmitTimeout {
  readonly minMs: number;
  readonly maxMs: number;
}

export const LINUX_MIN_RTO: RetransmitTimeout = { minMs: 200, maxMs: 400 };

/**
 * When a chunk read at `now` is delivered: after the delay ± jitter (plus a retransmission
 * timeout if it is lost), and never before the chunk ahead of it (`previousDueAt`), because
 * TCP delivers a byte stream in order: a late or lost segment holds up everything behind it.
 */
export const deliveryTime = (
  now: number,
  previousDueAt: number,
  conditions: LinkConditions,
  rto: RetransmitTimeout,
  random: () => number,
): { readonly dueAt: number; readonly lost: boolean } => {
  const jitter = (random() * 2 - 1) * conditions.jitterMs;
  const lost = conditions.lossRate > 0 && random() < conditions.lossRate;
  const retransmit = lost ? rto.minMs + random() * (rto.maxMs - rto.minMs) : 0;
  return { dueAt: Math.max(previousDueAt, now + Math.max(0, conditions.delayMs + jitter) + retransmit), lost };
};

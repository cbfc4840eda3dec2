import type { PacingPolicy } from './policy.js';
import { seededRandom } from './seeded-random.js';

export interface BatchTiming {
  /** When the batch starts, relative to the start of the plan. */
  readonly startOffsetMs: number;
  /** Pause after the previous batch's start (0 for the first batch). */
  readonly pauseMs: number;
  /** Random extension of that pause. */
  readonly jitterMs: number;
}

/**
 * The first batch starts at once; each later one waits the full pause plus a jitter in
 * [0, pause × jitterFraction]. Jitter only ever lengthens a pause, so consecutive batches are
 * always at least `pauseBetweenBatchesMs` apart, however the random numbers fall.
 */
export function batchTimings(batchCount: number, policy: PacingPolicy, jitterSeed: number): BatchTiming[] {
  const random = seededRandom(jitterSeed);
  const timings: BatchTiming[] = [];
  let startOffsetMs = 0;
  for (let index = 0; index < batchCount; index++) {
    if (index === 0) {
      timings.push({ startOffsetMs: 0, pauseMs: 0, jitterMs: 0 });
      continue;
    }
    const pauseMs = policy.pauseBetweenBatchesMs;
    const jitterMs = Math.round(pauseMs * policy.jitterFraction * random());
    startOffsetMs += pauseMs + jitterMs;
    timings.push({ startOffsetMs, pauseMs, jitterMs });
  }
  return timings;
}

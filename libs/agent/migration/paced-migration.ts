import { setTimeout as sleep } from 'node:timers/promises';
import { type MigrateResult } from './migration-report.js';

export interface Pacing {
  /** Sessions per batch. */
  readonly batchSize: number;
  /** Pause after each batch settles… */
  readonly pauseMs: number;
  /** …lengthened by a random amount up to this, so batches of several sources do not line up. */
  readonly jitterMs: number;
  /** Each batch's redirects are spread over this window. */
  readonly spreadMs: number;
  /** How long to wait for one batch to settle. */
  readonly batchWaitMs: number;
}

export const DEFAULT_PACING: Pacing = { batchSize: 200, pauseMs: 200, jitterMs: 100, spreadMs: 100, batchWaitMs: 10_000 };

export interface BatchCall {
  readonly batchId: string;
  readonly limit: number;
  readonly spreadMs: number;
  readonly waitMs: number;
}

/**
 * Moves every session off a gateway one batch at a time — the loop a Temporal
 * activity (one call per batch), the agent's own drain and the bench all run.
 * It stops when nothing is left, when a batch moves nobody (every target refused:
 * looping would only hammer them), or when `stopped` says so.
 */
export const migrateInBatches = async (
  runBatch: (call: BatchCall) => Promise<MigrateResult>,
  pacing: Pacing,
  { idPrefix, random = Math.random, stopped = () => false }: { idPrefix: string; random?: () => number; stopped?: () => boolean },
): Promise<MigrateResult[]> => {
  const batches: MigrateResult[] = [];
  for (let index = 0; !stopped(); index++) {
    const result = await runBatch({ batchId: `${idPrefix}-${index}`, limit: pacing.batchSize, spreadMs: pacing.spreadMs, waitMs: pacing.batchWaitMs });
    batches.push(result);
    const progressed = result.moved + result.gone + result.pending > 0;
    if (result.remaining === 0 || !progressed || stopped()) break;
    await sleep(pacing.pauseMs + Math.floor(random() * pacing.jitterMs));
  }
  return batches;
};

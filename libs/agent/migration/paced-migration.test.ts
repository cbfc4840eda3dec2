import { describe, expect, it } from '@jest/globals';
import { type MigrateResult } from './migration-report.js';
import { migrateInBatches } from './paced-migration.js';

const PACING = { batchSize: 3, pauseMs: 0, jitterMs: 0, spreadMs: 0, batchWaitMs: 0 };

/** A source with `sessions` of which every target takes at most `accepts` in total. */
const source = (sessions: number, accepts: number) => {
  let left = sessions;
  let taken = 0;
  const calls: number[] = [];
  const runBatch = async ({ limit }: { limit: number }): Promise<MigrateResult> => {
    const chosen = Math.min(limit, left);
    const moved = Math.min(chosen, accepts - taken);
    taken += moved;
    left -= moved;
    calls.push(chosen);
    return { moved, refused: chosen - moved, pending: 0, gone: 0, remaining: left } as MigrateResult;
  };
  return { runBatch, calls };
};

describe(migrateInBatches.name, () => {
  it('should run batches of at most the batch size until nothing is left', async () => {
    const { runBatch, calls } = source(8, 100);
    const batches = await migrateInBatches(runBatch, PACING, { idPrefix: 't' });
    expect(calls).toEqual([3, 3, 2]);
    expect(batches.at(-1)?.remaining).toBe(0);
  });

  it('should stop when a batch moves nobody rather than hammer refusing targets', async () => {
    const { runBatch, calls } = source(8, 4);
    await migrateInBatches(runBatch, PACING, { idPrefix: 't' });
    expect(calls).toEqual([3, 3, 3]);
  });

  it('should stop when told to', async () => {
    const { runBatch, calls } = source(8, 100);
    await migrateInBatches(runBatch, PACING, { idPrefix: 't', stopped: () => calls.length >= 1 });
    expect(calls).toEqual([3]);
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';

const FIXTURES = resolve('test/replay/histories');
// The very bundle the worker loads, built by `npm run build` (npm test builds first).
const workflowBundle = { codePath: resolve('dist/workflow-bundle.js') };

const fixtures = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .map((file) => {
    const { workflowId, history } = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { workflowId: string; history: unknown };
    return { name: file.replace(/\.json$/, ''), workflowId, history: historyFromJSON(history) };
  });

/**
 * Histories of representative runs (recorded by `npm run record-histories`)
 * replayed against today's workflow code: a change that would break the runs
 * in flight in production — non-determinism — fails here instead.
 */
describe('workflow replay', () => {
  it('should have fixtures to replay', () => {
    expect(fixtures.map((f) => f.name)).toEqual(
      expect.arrayContaining(
        [
          ...['', 'v2-', 'v3-', 'v4-', 'v5-', 'v6-'].flatMap((tag) =>
            ['healed-with-migration', 'migrate-sessions-child', 'approved', 'rejected-by-timeout', 'blast-radius-refused', 'dry-run', 'restored', 'rebalance-child', 'lease-expired'].map((name) => `${tag}${name}`),
          ),
          'v5-storm-lifted',
          'v6-storm-lifted',
        ],
      ),
    );
  });

  it.each(fixtures)('should replay $name without non-determinism', async ({ name, workflowId, history }) => {
    await expect(Worker.runReplayHistory({ workflowBundle, replayName: name }, history, workflowId)).resolves.toBeUndefined();
  });

  it('should catch a workflow whose commands no longer match its history', async () => {
    // The check can fail: the restore history replayed under another workflow id makes
    // the code schedule a differently named child than the history recorded.
    const restored = fixtures.find((f) => f.name === 'restored');
    await expect(Worker.runReplayHistory({ workflowBundle, replayName: 'altered' }, restored!.history, 'restore:another')).rejects.toThrow(/[Nn]ondeterminism/);
  });
});

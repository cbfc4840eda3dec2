import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MigrationBudgetSettings } from '#core';
import { type EtcdServer, startEtcd } from '#devstack';
import { CorruptRecordError, MigrationBudget, MigrationBudgetUnavailableError, connectEtcd, fleetSessionsBucket, migrationBudgetTargetKey, targetReconnectsBucket } from '#etcd';
import { MigrationBudgetPacer } from '#remediation/migration-budget-pacer';

const BUDGET: MigrationBudgetSettings = { sessionsPerSecond: 10_000, sessionsBurst: 1_000, reconnectsPerSecondPerTarget: 200, reconnectsBurstPerTarget: 40 };

/** The shared migration budget on a real etcd, with one client per concurrent taker as separate workers would have. */
describe(MigrationBudget.name, () => {
  let server: EtcdServer;
  let clients: Etcd3[];

  beforeAll(async () => {
    server = await startEtcd();
    clients = Array.from({ length: 6 }, () => connectEtcd(server.endpoints));
  });

  afterAll(async () => {
    clients?.forEach((c) => c.close());
    await server?.stop();
  });

  it('should never let concurrent takers on one target get more than rate × elapsed + burst', async () => {
    const buckets = [fleetSessionsBucket(BUDGET), targetReconnectsBucket('gw-shared', BUDGET)];
    const startedAt = Date.now();
    const stopAt = startedAt + 1_500;
    const granted = await Promise.all(
      clients.map(async (etcd) => {
        const budget = new MigrationBudget(etcd);
        let tokens = 0;
        while (Date.now() < stopAt) {
          const answer = await budget.tryTake(buckets, 10);
          if (answer.granted) tokens += 10;
          else await sleep(Math.min(answer.waitMs, 50));
        }
        return tokens;
      }),
    );
    const elapsedMs = Date.now() - startedAt;
    const total = granted.reduce((a, b) => a + b, 0);
    // Safety: within the bound, whatever the interleaving. Liveness: at least the burst went out.
    expect(total).toBeLessThanOrEqual(BUDGET.reconnectsBurstPerTarget + (BUDGET.reconnectsPerSecondPerTarget * elapsedMs) / 1_000);
    expect(total).toBeGreaterThanOrEqual(BUDGET.reconnectsBurstPerTarget);
    // Every grant paid both buckets: both are stored.
    expect((await new MigrationBudget(clients[0]!).levels(buckets)).every((level) => level !== undefined)).toBe(true);
  });

  it('should take from every bucket or from none', async () => {
    const budget = new MigrationBudget(clients[0]!);
    const empty = targetReconnectsBucket('gw-empty', BUDGET);
    const other = targetReconnectsBucket('gw-other', BUDGET);
    expect(await budget.tryTake([empty], BUDGET.reconnectsBurstPerTarget)).toEqual({ granted: true });
    const before = await budget.levels([other]);
    const answer = await budget.tryTake([other, empty], 20);
    expect(answer.granted).toBe(false);
    expect(answer.granted ? 0 : answer.waitMs).toBeGreaterThan(0);
    expect(await budget.levels([other])).toEqual(before);
  });

  it('should name the key of a record that is not a bucket', async () => {
    await clients[0]!.put(migrationBudgetTargetKey('gw-garbled')).value('{"tokens":"many"}');
    await expect(new MigrationBudget(clients[0]!).tryTake([targetReconnectsBucket('gw-garbled', BUDGET)], 1)).rejects.toThrow(CorruptRecordError);
    await expect(new MigrationBudget(clients[0]!).tryTake([targetReconnectsBucket('gw-garbled', BUDGET)], 1)).rejects.toThrow(/gw-garbled/);
  });

  it('should say etcd is unavailable within its call timeout, and the pacer should then pace by this worker alone', async () => {
    const buckets = [targetReconnectsBucket('gw-paused', { ...BUDGET, reconnectsPerSecondPerTarget: 100, reconnectsBurstPerTarget: 10 })];
    server.pause();
    // SIGSTOP lands asynchronously: a call made at once may still be answered.
    await sleep(200);
    try {
      const budget = new MigrationBudget(clients[1]!, { callTimeoutMs: 300 });
      await expect(budget.tryTake(buckets, 1)).rejects.toThrow(MigrationBudgetUnavailableError);
      const fallbacks: string[] = [];
      const slept: number[] = [];
      const pacer = new MigrationBudgetPacer(budget);
      const wait = { sleep: async (ms: number) => {
          slept.push(ms);
          await sleep(ms);
        }, onFallback: (e: Error) => void fallbacks.push(e.message) };
      // Twenty tokens from a bucket of burst 10 at 100/s: the second ten wait for the local bucket to refill.
      let pacedBy = await pacer.take(buckets, 10, 'shared', wait);
      pacedBy = await pacer.take(buckets, 10, pacedBy, wait);
      expect(pacedBy).toBe('local');
      expect(fallbacks).toHaveLength(1);
      expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(90);
    } finally {
      server.resume();
    }
  });
});

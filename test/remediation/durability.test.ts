import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy, type RemediationReport } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { PolicyStore, connectEtcd } from '#etcd';
import { connectClients, totals } from '../support/clients.js';
import { startRemediation } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

/** Slow, small batches so there is time to kill things in the middle of a migration. */
const SLOW_MIGRATION: Policy = {
  ...DEFAULT_POLICY,
  guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5, approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null } },
  migration: { ...DEFAULT_POLICY.migration, batchSize: 40, pauseMs: 400, jitterFraction: 0, spreadMs: 50, batchWaitMs: 10_000, headroomFraction: 0.1 },
};

const SESSIONS = 400;

takesTurnsWithHeavySuites();

describe('remediation durability', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  const clients: PushClient[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 4, worker: true, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    await new PolicyStore(etcd).publish(SLOW_MIGRATION);
  });

  afterAll(async () => {
    clients.forEach((c) => c.stop());
    etcd?.close();
    await temporal?.close();
    await fleet?.stop();
  });

  /** Starts moving `gatewayId`'s sessions, runs `disrupt` after two batches, and returns the finished report. */
  const migrateThrough = async (gatewayId: string, disrupt: () => Promise<void>): Promise<RemediationReport> => {
    const run = await startRemediation(temporal.client, gatewayId, { reason: 'durability' });
    const parent = temporal.client.workflow.getHandle(run.workflowId, run.runId);
    const child = temporal.client.workflow.getHandle(`migrate:${gatewayId}:${run.runId}`);
    await waitUntil('two batches done', async () => ((await child.query<{ batches: number }>('progress').catch(() => undefined))?.batches ?? 0) >= 2, {
      timeoutMs: 60_000,
    }).catch(async (error: Error) => {
      // The run explains itself: put its report next to the failure.
      throw new Error(`${error.message}\nrun report: ${JSON.stringify(await parent.query('report').catch(String))}`);
    });
    await disrupt();
    return parent.result();
  };

  const onGateway = (id: string): PushClient[] => clients.filter((c) => c.gatewayId === id);

  const expectEachMovedOnceAndNothingLost = async (moved: readonly PushClient[], from: string): Promise<void> => {
    await waitUntil('moved clients receiving again', async () => moved.every((c) => c.connected && c.gatewayId !== from));
    const before = totals(moved).received;
    await waitUntil('messages flowing', async () => totals(moved).received > before + moved.length);
    expect(totals(moved)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
    expect(moved.map((c) => c.counters.reconnects)).toEqual(moved.map(() => 0));
  };

  it('should finish a migration after the worker is SIGKILLed halfway, moving each session exactly once', async () => {
    clients.push(...(await connectClients(SESSIONS, fleet.gatewayAddresses, ['ticker'], 'durable')));
    const victims = onGateway('gw-1');
    expect(victims).toHaveLength(SESSIONS);

    const report = await migrateThrough('gw-1', async () => {
      fleet.worker!.process.signal('SIGKILL');
      await fleet.worker!.process.exited;
      await fleet.startWorker();
    });

    expect(report.outcome).toBe('healed');
    expect(report.migration).toMatchObject({ sessions: SESSIONS, moved: SESSIONS, remaining: 0 });
    expect(report.migration?.batches).toBeGreaterThanOrEqual(SESSIONS / 40);
    expect(victims.map((c) => c.counters.redirectsFollowed)).toEqual(victims.map(() => 1));
    await expectEachMovedOnceAndNothingLost(victims, 'gw-1');
  });

  it('should finish a migration when the Temporal server restarts halfway on its SQLite file', async () => {
    const victims = onGateway('gw-2');
    expect(victims.length).toBeGreaterThan(40);
    const redirectsBefore = victims.map((c) => c.counters.redirectsFollowed);

    const report = await migrateThrough('gw-2', () => fleet.stack.temporalServer!.restart());

    expect(report.outcome).toBe('healed');
    expect(report.migration).toMatchObject({ sessions: victims.length, moved: victims.length, remaining: 0 });
    expect(victims.map((c, i) => c.counters.redirectsFollowed - (redirectsBefore[i] ?? 0))).toEqual(victims.map(() => 1));
    await expectEachMovedOnceAndNothingLost(victims, 'gw-2');
  });
});

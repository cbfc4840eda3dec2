import { afterEach, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { DEFAULT_POLICY } from '#core';
import { homeostatEvents, NAMESPACE, waitUntil } from '#devstack';
import { HOMEOSTAT_API_VERSION, HOMEOSTAT_GROUP, STREAM_SESSION } from '#k8s';
import { caughtUp, seededOn, swarmOn } from '../data-plane/support/fleet-helpers.js';
import { waitForOutcome } from '../support/remediation-runs.js';
import { describeK8s, k8sSuite } from './support/k8s-env.js';

const SESSIONS = 300;

/**
 * A gateway pod deleted the way a rolling update, an eviction or a scale-in deletes it,
 * against a real API server: the deletionTimestamp starts a drain that hot-migrates every
 * session inside the grace period, and the gateway's SIGTERM handler waits for it. The
 * kubelet harness (libs/devstack/local-kubelet.ts) sends the SIGTERM and, after the grace
 * period, the SIGKILL that must never be needed.
 */
describeK8s('K8s mode: drain before a pod dies', () => {
  const suite = k8sSuite({ ...DEFAULT_POLICY, guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5 } }, async (env) => {
    for (const id of ['gw-1', 'gw-2', 'gw-3']) await env.kubelet.runPod(id, { graceSeconds: 20 });
  });
  let swarm: ClientSwarm | undefined;

  afterEach(() => swarm?.stop());

  it('should hot-migrate every session of a deleted pod before it exits, losing nothing', async () => {
    const { env, temporal } = suite;
    swarm = new ClientSwarm({ prefix: 'drain', count: SESSIONS, gateways: seededOn(env.fleet, 'gw-1'), topics: ['ticker'] });
    await swarm.start();
    await swarmOn(swarm, 'gw-1');
    const process = env.fleet.gateway('gw-1').app.process;
    // One StreamSession per pod, counting its sessions (never an object per session).
    const streamSession = (name: string) =>
      env.kube.custom.getNamespacedCustomObject({ group: HOMEOSTAT_GROUP, version: HOMEOSTAT_API_VERSION, plural: STREAM_SESSION.plural, namespace: NAMESPACE, name }) as Promise<{
        spec: { gatewayId: string };
        status?: { sessions?: number; rotation?: string };
      }>;
    const held = await waitUntil('gw-1 StreamSession to count its sessions', async () => {
      const object = await streamSession('gw-1');
      return object.status?.sessions === SESSIONS ? object : undefined;
    });
    expect(held).toMatchObject({ spec: { gatewayId: 'gw-1' }, status: { rotation: 'in' } });

    await env.kube.core.deleteNamespacedPod({ name: 'gw-1', namespace: NAMESPACE });

    // Exited by itself once drained: code 0, not the SIGKILL at the end of the grace period.
    expect(await process.exited).toEqual({ code: 0, signal: null });
    const report = await waitForOutcome(temporal.client, 'gw-1', ['healed', 'compensated', 'needs-human'], 30_000);
    expect(report).toMatchObject({ trigger: 'k8s', outcome: 'healed', decision: { rule: 'drain-terminating-pod', facts: { podTerminating: true } } });
    // Every session left before the pod exited: moved as its batch confirmed, `gone` (closed without
    // moving), or `leftUnconfirmed` (its redirect was still out when the batch stopped waiting:
    // 50 of 300 on a fast run, the last batch's share).
    const migration = report.migration!;
    expect(migration).toMatchObject({ sessions: SESSIONS, remaining: 0 });
    expect(migration.moved + (migration.gone ?? 0) + (migration.leftUnconfirmed ?? 0)).toBe(SESSIONS);

    const settled = await caughtUp(swarm, env.fleet.publisher.head('ticker'));
    expect(settled.byGateway['gw-1']).toBeUndefined();
    // Every session was redirected: the confirmed ones and the unconfirmed ones followed a redirect.
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, redirectsFollowed: migration.moved + (migration.leftUnconfirmed ?? 0) });
    await waitUntil('the pod object gone', async () => (await env.kube.core.listNamespacedPod({ namespace: NAMESPACE })).items.every((p) => p.metadata?.name !== 'gw-1'));
    // The last Events are written after the run's outcome is set, on the pod that is gone by then.
    const events = await waitUntil('the Healed Event', async () => {
      const found = (await homeostatEvents(env.kube, 'gw-1')).map((e) => e.reason);
      return found.includes('Healed') ? found : undefined;
    });
    expect(events).toEqual(expect.arrayContaining(['RemediationStarted', 'TakenOutOfRotation', 'SessionsMigrated', 'Healed']));
  });
});

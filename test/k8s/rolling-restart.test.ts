import { afterEach, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { DEFAULT_POLICY } from '#core';
import { rollingRestart, waitUntil } from '#devstack';
import { caughtUp } from '../data-plane/support/fleet-helpers.js';
import { describeK8s, k8sSuite } from './support/k8s-env.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

const SESSIONS = 2_000;
const OLD = ['gw-1', 'gw-2', 'gw-3'];

/**
 * A rolling restart (libs/devstack/scenarios/rolling-restart.ts: maxSurge 1, maxUnavailable 0)
 * against a real API server. Each deletion's drain must hot-migrate its sessions before the
 * pod exits.
 */
takesTurnsWithHeavySuites();

describeK8s('K8s mode: rolling restart', () => {
  // Readiness is not what this suite is about: under CI load a pod's readiness probe failed for
  // over the default 2 s before its deletion, and the quarantine that followed absorbed the drain.
  const policy = { ...DEFAULT_POLICY, kubernetes: { ...DEFAULT_POLICY.kubernetes, notReadyAfterMs: 600_000 } };
  // Nor is node loss. The harness's kubelet beats for its node from this very process, beside the
  // 2 000 clients: in CI that heartbeat once stalled past the default 4 s grace, the node was lost,
  // every pod got a nodeLost run, and gw-3's drain was refused by the blast radius.
  const suite = k8sSuite(
    policy,
    async (env) => {
      for (const id of OLD) await env.kubelet.runPod(id, { graceSeconds: 25 });
    },
    { nodeMonitorGracePeriodSeconds: 60 },
  );
  let swarm: ClientSwarm | undefined;

  afterEach(() => swarm?.stop());

  it('should restart every pod of a fleet carrying 2 000 sessions with none lost, duplicated or reordered', async () => {
    const { env, temporal } = suite;
    swarm = new ClientSwarm({ prefix: 'roll', count: SESSIONS, gateways: env.fleet.gatewayAddresses, topics: ['ticker'] });
    await swarm.start();
    await waitUntil('every client receiving', async () => swarm?.report().receiving === SESSIONS, { timeoutMs: 60_000, intervalMs: 200 });

    for (const step of await rollingRestart(env, temporal.client, OLD)) {
      expect(step.exit).toEqual({ code: 0, signal: null });
      expect(step.report.trigger).toBe('k8s');
      // The outcome with its reason, so a failure says why (e.g. which verification fact failed).
      expect(`${step.report.outcome}: ${step.report.outcomeReason ?? ''}`).toMatch(/^healed: /);
      // The whole summary and the pod, so a failure shows why sessions stayed (refused, gone, stalled batches).
      expect({ pod: step.pod, migration: step.report.migration }).toMatchObject({ migration: { remaining: 0 } });
    }

    const settled = await caughtUp(swarm, env.fleet.publisher.head('ticker'), 90_000);
    expect(Object.keys(settled.byGateway).sort()).toEqual(['gw-1-b', 'gw-2-b', 'gw-3-b']);
    expect(settled.connected).toBe(SESSIONS);
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});

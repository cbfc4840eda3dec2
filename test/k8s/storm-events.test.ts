import { expect, it } from '@jest/globals';
import { DEFAULT_POLICY, stormWorkflowId } from '#core';
import { homeostatEvents, waitUntil } from '#devstack';
import { StormStore } from '#etcd';
import { type StormHoldReport } from '../../workflows/storm-hold.js';
import { DetectorProcess } from '../detection/support/detector-process.js';
import { testPolicy } from '../support/policies.js';
import { describeK8s, k8sSuite } from './support/k8s-env.js';

const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];

/**
 * A storm on gateway pods, begun by a real detector and held by the worker in K8s mode. With
 * `minSuspects: 1` and a tiny fraction the first suspect begins the storm, so no removal runs
 * at all; the K8s trigger is out of the way too (a hung pod turns unready, and would count as
 * `podNotReady` only after 10 minutes).
 */
describeK8s('K8s mode: storm Events', () => {
  const policy = testPolicy('k8s-storm', 1, { storm: { fleetFraction: 0.01, zoneFraction: 1, windowMs: 10_000, quietMs: 2_000, minSuspects: 1 } }, { kubernetes: { ...DEFAULT_POLICY.kubernetes, notReadyAfterMs: 600_000 } });
  const suite = k8sSuite(policy, async (env) => {
    for (const id of GATEWAYS) await env.kubelet.runPod(id);
  });

  const stormEvents = async (pod: string) => (await homeostatEvents(suite.env.kube, pod)).filter((e) => e.reason.startsWith('Storm'));

  it("should put StormBegan on each suspect's pod as it turns suspect, and StormLifted once the storm lifts, each once", async () => {
    const { env, temporal } = suite;
    const detector = await DetectorProcess.start(env.fleet, 'det-storm');
    try {
      for (const id of GATEWAYS) await detector.waitForEvent('answering', id);
      // The detector reads the fleet it counts fractions of every second: let it read all three.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const hung = ['gw-1', 'gw-2'];
      await Promise.all(hung.map((id) => env.fleet.control(id).injectFault({ kind: 'hang' })));

      const storm = await waitUntil('a storm in etcd', async () => (await new StormStore(env.etcd).read()).storm ?? undefined, { timeoutMs: 20_000 });
      const link = encodeURIComponent(stormWorkflowId(storm.sinceMs));
      for (const pod of hung) {
        const [began] = await waitUntil(`StormBegan on ${pod}`, async () => {
          const found = await stormEvents(pod);
          return found.length > 0 ? found : undefined;
        });
        expect(began).toMatchObject({ reason: 'StormBegan', type: 'Warning' });
        expect(began?.note).toContain(`storm mode (fleet) since ${new Date(storm.sinceMs).toISOString()}`);
        expect(began?.note).toContain('Automatic removals are paused');
        expect(began?.note).toContain('POST /v1/storm/lift');
        expect(began?.note).toContain(pod);
        expect(began?.note).toContain(`/workflows/${link}/`);
      }

      // The cause goes away; after the quiet period the storm lifts by itself and its run ends.
      await Promise.all(hung.map((id) => env.fleet.control(id).clearFaults('hang')));
      const ended: StormHoldReport = await temporal.client.workflow.getHandle(stormWorkflowId(storm.sinceMs)).result();
      expect(ended).toMatchObject({ outcome: 'lifted', liftedBy: 'quiet' });
      for (const pod of hung) {
        const events = await waitUntil(`StormLifted on ${pod}`, async () => {
          const found = await stormEvents(pod);
          return found.some((e) => e.reason === 'StormLifted') ? found : undefined;
        });
        // One of each: the storm's Events are named after the storm, so a second write gets 409.
        expect(events.map((e) => `${e.type} ${e.reason}`)).toEqual(['Warning StormBegan', 'Normal StormLifted']);
        expect(events[1]?.note).toContain('lifted by itself (quiet)');
        expect(events[1]?.note).toContain('Automatic removals resume');
      }
      // The gateway that stayed well was never a suspect: no storm Event on its pod.
      expect(await stormEvents('gw-3')).toEqual([]);
    } finally {
      await detector.stop();
    }
  });
});

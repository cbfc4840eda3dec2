import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '#core';
import { type HomeostatProcess, type K8sEnv, NAMESPACE, startK8sEnv, waitUntil } from '#devstack';
import { PolicyStore, TimelineStore } from '#etcd';
import { hang, quiet, recordMoments } from '../../libs/core/policy-lab/test-fixtures.js';
import { FAILOVER_POLICY, type FailoverPolicyObject, HOMEOSTAT_API_VERSION, HOMEOSTAT_GROUP, MERGE_PATCH } from '#k8s';
import { describeK8s } from './support/k8s-env.js';

const api = { group: HOMEOSTAT_GROUP, version: HOMEOSTAT_API_VERSION, plural: FAILOVER_POLICY.plural, namespace: NAMESPACE };

/** The default policy as an author writes it in a FailoverPolicy's spec (the store numbers versions). */
const { version: _version, ...DEFAULT_SPEC } = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Record<string, unknown>;

/** A FailoverPolicy applied with the calls kubectl makes, against a real API server; the worker's controller publishes it to etcd. */
describeK8s('K8s mode: FailoverPolicy', () => {
  let env: K8sEnv;
  let detector: HomeostatProcess;

  beforeAll(async () => {
    env = await startK8sEnv();
    await env.fleet.startWorker(env.k8sEnv);
    detector = await env.fleet.startDetector();
  });

  afterAll(async () => {
    await env?.stop();
  });

  const read = async (name: string): Promise<FailoverPolicyObject> => (await env.kube.custom.getNamespacedCustomObject({ ...api, name })) as FailoverPolicyObject;

  it('should publish a valid FailoverPolicy to etcd, live in the detector, and say so in its status', async () => {
    const live = detector.process.waitForLine((line) => (line.includes('"policy-applied"') && line.includes('"policyName":"from-k8s"') ? (JSON.parse(line) as { version: number }) : undefined), 30_000);
    await env.kube.custom.createNamespacedCustomObject({
      ...api,
      body: {
        apiVersion: `${HOMEOSTAT_GROUP}/${HOMEOSTAT_API_VERSION}`,
        kind: FAILOVER_POLICY.kind,
        metadata: { name: 'edge', namespace: NAMESPACE },
        spec: { ...DEFAULT_SPEC, name: 'from-k8s', detector: { pingIntervalMs: 100, pongTimeoutMs: 250, missesToSuspect: 2 } },
      },
    });
    const applied = await waitUntil('status.appliedVersion', async () => (await read('edge')).status?.appliedVersion, { timeoutMs: 20_000 });
    expect((await live).version).toBe(applied);
    const { policy } = await new PolicyStore(env.etcd).current();
    expect(policy).toMatchObject({ version: applied, name: 'from-k8s', detector: { missesToSuspect: 2 } });
    expect((await read('edge')).status?.conditions).toEqual([expect.objectContaining({ type: 'Valid', status: 'True', reason: 'Published' })]);
  });

  it('should refuse an invalid change with a condition naming the node, and change nothing', async () => {
    const before = await read('edge');
    const current = await new PolicyStore(env.etcd).current();
    const tree = DEFAULT_SPEC.decisionTree as { rules: { when: unknown }[] };
    const broken = { ...tree, rules: tree.rules.map((rule, i) => (i === 0 ? { ...rule, when: { pred: 'noSuchPredicate' } } : rule)) };
    await env.kube.custom.patchNamespacedCustomObject({ ...api, name: 'edge', body: { spec: { decisionTree: broken } } }, MERGE_PATCH);

    const invalid = await waitUntil('the Valid=False condition', async () => {
      const object = await read('edge');
      const valid = object.status?.conditions?.find((c) => c.type === 'Valid');
      return valid?.status === 'False' ? { object, valid } : undefined;
    });
    expect(invalid.valid.reason).toBe('Invalid');
    expect(invalid.valid.message).toContain('decisionTree.rules[0].when.pred');
    expect(invalid.object.status?.appliedVersion).toBe(before.status?.appliedVersion);
    expect((await new PolicyStore(env.etcd).current()).policy.version).toBe(current.policy.version);
  });

  it('should store a FailoverPolicy whose simulation removes too many in shadow mode, and say why in its condition', async () => {
    // A recorded stall of two missed pongs (the default policy waited for three) beside two quiet gateways.
    const at = Date.now() - 60_000;
    await new TimelineStore(env.etcd).append([
      ...recordMoments('lab-stall', DEFAULT_POLICY, [quiet(at), ...hang(at, 2), quiet(at + 300)]),
      ...['lab-quiet-1', 'lab-quiet-2'].flatMap((id) => recordMoments(id, DEFAULT_POLICY, [quiet(at)])),
    ]);
    const before = (await read('edge')).status?.appliedVersion ?? 0;
    const spec = { decisionTree: DEFAULT_SPEC.decisionTree, detector: { pingIntervalMs: 100, pongTimeoutMs: 250, missesToSuspect: 1 }, lab: { requireSimulation: { lookbackHours: 1, maxRemovals: 0 } } };
    await env.kube.custom.patchNamespacedCustomObject({ ...api, name: 'edge', body: { spec } }, MERGE_PATCH);
    const applied = await waitUntil('a newer status.appliedVersion', async () => {
      const version = (await read('edge')).status?.appliedVersion ?? 0;
      return version > before ? version : undefined;
    }, { timeoutMs: 20_000 });
    const { policy } = await new PolicyStore(env.etcd).current();
    expect(policy).toMatchObject({ version: applied, mode: 'shadow', lab: { shadowReason: expect.stringMatching(/more than the bound of 0: stored in shadow mode/) } });
    const valid = (await read('edge')).status?.conditions?.find((c) => c.type === 'Valid');
    expect(valid).toMatchObject({ status: 'True', reason: 'Published', message: expect.stringMatching(new RegExp(`^published as policy version ${applied} in shadow mode: a simulation over the last 1 h removes`)) });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY } from '#core';
import { Fleet, type RunningApi } from '#devstack';
import { POLICY_PREFIX, connectEtcd } from '#etcd';
import { call } from '../support/http.js';

type Json = Record<string, unknown>;

/** A JSON copy of the default policy with some changes, as an author would write it. */
const policyWith = (change: (policy: Json) => void): Json => {
  const policy = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Json;
  delete policy.version;
  change(policy);
  return policy;
};

const rulesOf = (policy: Json) => (policy.decisionTree as { rules: Json[] }).rules;

describe('policies and flags API', () => {
  let fleet: Fleet;
  let api: RunningApi;
  let etcd: Etcd3;
  const storedKeys = async () => (await etcd.getAll().prefix(POLICY_PREFIX).keys()).sort();

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: false, api: true, useExisting: false });
    api = fleet.api!;
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
  });

  afterAll(async () => {
    etcd?.close();
    await fleet?.stop();
  });

  it('should serve the built-in default until a policy is stored', async () => {
    const { status, body } = await call(api, 'GET', '/v1/policies');
    expect(status).toBe(200);
    expect(body).toEqual({ version: DEFAULT_POLICY.version, source: 'default', policy: DEFAULT_POLICY, versions: [] });
  });

  it('should store a valid policy as the next version and make it current', async () => {
    const tighter = policyWith((p) => {
      p.name = 'tighter';
      p.detector = { pingIntervalMs: 50, pongTimeoutMs: 150, missesToSuspect: 2 };
    });
    const put = await call(api, 'PUT', '/v1/policies', tighter);
    expect(put.status).toBe(200);
    const version = DEFAULT_POLICY.version + 1;
    expect(put.body).toMatchObject({ version, policy: { version, name: 'tighter', detector: { missesToSuspect: 2 } } });

    const current = await call(api, 'GET', '/v1/policies');
    expect(current.body).toMatchObject({ version, source: 'stored', versions: [version], policy: { name: 'tighter' } });
    expect(await etcd.get(`${POLICY_PREFIX}current`).string()).toBe(String(version));
    expect((await call(api, 'GET', `/v1/policies/${version}`)).body).toEqual(put.body.policy);
  });

  it.each([
    [
      'an unknown predicate',
      policyWith((p) => {
        rulesOf(p)[1]!.when = { and: [{ pred: 'heartbeatLost' }, { pred: 'cpuOnFire' }] };
      }),
      'decisionTree.rules[1].when.and[1].pred',
      'unknown predicate "cpuOnFire"',
    ],
    [
      'a cycle among named conditions',
      policyWith((p) => {
        (p.decisionTree as Json).conditions = { a: { ref: 'b' }, b: { not: { ref: 'a' } } };
      }),
      'decisionTree.conditions',
      'cycle in named conditions',
    ],
    [
      'a clear threshold under the fire threshold',
      policyWith((p) => {
        p.hysteresis = { fireBelow: 60, fireAfterMs: 300, clearAbove: 40, clearAfterMs: 1_000 };
      }),
      'hysteresis.clearAbove',
      'must be at least fireBelow (60)',
    ],
    ['a negative ping interval', policyWith((p) => (p.detector = { pingIntervalMs: -5 })), 'detector.pingIntervalMs', ''],
  ])('should answer 400 naming the node for %s, and store nothing', async (_case, policy, node, why) => {
    const before = await storedKeys();
    const current = (await call(api, 'GET', '/v1/policies')).body;
    const put = await call(api, 'PUT', '/v1/policies', policy);
    expect(put.status).toBe(400);
    expect(put.body.detail).toContain(node);
    expect(put.body.detail).toContain(why);
    expect(put.body.issues.some((i: { path: string }) => i.path.startsWith(node))).toBe(true);
    expect(await storedKeys()).toEqual(before);
    expect((await call(api, 'GET', '/v1/policies')).body).toEqual(current);
  });

  it('should validate without storing', async () => {
    const before = await storedKeys();
    const valid = await call(api, 'POST', '/v1/policies/validate', policyWith((p) => (p.mode = 'shadow')));
    expect(valid).toMatchObject({ status: 200, body: { valid: true, policy: { mode: 'shadow' } } });
    const invalid = await call(api, 'POST', '/v1/policies/validate', policyWith((p) => (p.mode = 'yolo')));
    expect(invalid).toMatchObject({ status: 400, body: { valid: false } });
    expect(invalid.body.detail).toContain('mode');
    expect(await storedKeys()).toEqual(before);
  });

  it('should answer 404 for a version never stored and 400 for one that is not a number', async () => {
    expect((await call(api, 'GET', '/v1/policies/999')).status).toBe(404);
    const bad = await call(api, 'GET', '/v1/policies/latest');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('version');
  });

  it('should set, read and list degrade flags, and refuse malformed ones', async () => {
    expect((await call(api, 'GET', '/v1/flags/detector-shadow')).status).toBe(404);
    const set = await call(api, 'PUT', '/v1/flags/detector-shadow', { enabled: true, reason: 'trying a new policy' });
    expect(set).toMatchObject({ status: 200, body: { name: 'detector-shadow', enabled: true, reason: 'trying a new policy' } });
    expect((await call(api, 'GET', '/v1/flags/detector-shadow')).body).toEqual(set.body);
    expect((await call(api, 'GET', '/v1/flags')).body.flags).toEqual([set.body]);

    const notBoolean = await call(api, 'PUT', '/v1/flags/detector-shadow', { enabled: 'yes' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.detail).toContain('enabled');
    const badName = await call(api, 'PUT', '/v1/flags/Not_Lower', { enabled: true });
    expect(badName.status).toBe(400);
    expect((await call(api, 'GET', '/v1/flags/detector-shadow')).body.enabled).toBe(true);
  });
});

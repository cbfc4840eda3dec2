import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningApi, type Stack, startApiProcess, startStack, waitUntil } from '#devstack';
import { call } from './support/http.js';

/** Endpoints that need etcd, and what each is sent. */
const ETCD_ENDPOINTS: readonly [string, string, unknown][] = [
  ['GET', '/v1/flags', undefined],
  ['GET', '/v1/flags/detector-shadow', undefined],
  ['PUT', '/v1/flags/detector-shadow', { enabled: false, reason: 'outage test' }],
  ['GET', '/v1/policies', undefined],
  ['GET', '/v1/policies/2', undefined],
  ['POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'outage test' }],
  ['POST', '/v1/gateways/gw-1/restore', { reason: 'outage test' }],
];

/** Endpoints that need Temporal. */
const TEMPORAL_ENDPOINTS: readonly [string, string, unknown][] = [
  ['GET', '/v1/remediations', undefined],
  ['GET', '/v1/remediations/remediate:gw-1', undefined],
  ['GET', '/v1/remediations/remediate:gw-1/runs', undefined],
  ['POST', '/v1/remediations/remediate:gw-1/cancel', undefined],
  ['POST', '/v1/rebalances', { reason: 'outage test' }],
  ['GET', '/v1/schedules', undefined],
];

const expectUnavailable = (response: Awaited<ReturnType<typeof call>>, dependency: string): void => {
  expect(response.status).toBe(503);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body).toMatchObject({ type: 'urn:homeostat:problem:dependency-unavailable', dependency, detail: `${dependency} is unavailable: the API cannot answer this until it is back` });
};

describe('API when etcd or Temporal is away', () => {
  let stack: Stack;
  let api: RunningApi;

  beforeAll(async () => {
    stack = await startStack({ useExisting: false });
    api = await startApiProcess({ env: stack.env });
  });

  afterAll(async () => {
    stack?.etcdServer?.resume();
    await api?.app.process.stop();
    await stack?.stop();
  });

  it('should be ready with both up', async () => {
    expect(await call({ url: api.url }, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('should answer 503 naming etcd while etcd is paused, keep Temporal endpoints working, and recover by itself', async () => {
    stack.etcdServer!.pause();
    try {
      for (const [method, path, body] of ETCD_ENDPOINTS) expectUnavailable(await call(api, method, path, body), 'etcd');
      expect(await call({ url: api.url }, 'GET', '/readyz')).toMatchObject({ status: 503, body: { down: ['etcd'] } });
      // Repeated calls while it is away (the etcd client's circuit breaker opens) are answered the same way.
      for (let i = 0; i < 5; i++) expectUnavailable(await call(api, 'GET', '/v1/flags'), 'etcd');
      expect((await call(api, 'GET', '/v1/remediations')).status).toBe(200);
    } finally {
      stack.etcdServer!.resume();
    }
    await waitUntil('the API answering from etcd again', async () => (await call(api, 'GET', '/v1/flags')).status === 200, { timeoutMs: 20_000 });
    expect(await call(api, 'PUT', '/v1/flags/detector-shadow', { enabled: false, reason: 'after the outage' })).toMatchObject({ status: 200 });
    expect((await call({ url: api.url }, 'GET', '/readyz')).status).toBe(200);
  });

  it('should answer 503 naming Temporal while Temporal is down, keep etcd endpoints working, and recover by itself', async () => {
    const temporal = stack.temporalServer!;
    await temporal.stop({ keepState: true });
    try {
      for (const [method, path, body] of TEMPORAL_ENDPOINTS) expectUnavailable(await call(api, method, path, body), 'Temporal');
      expect(await call({ url: api.url }, 'GET', '/readyz')).toMatchObject({ status: 503, body: { down: ['temporal'] } });
      expect((await call(api, 'GET', '/v1/flags')).status).toBe(200);
    } finally {
      await temporal.restart();
    }
    await waitUntil('the API answering from Temporal again', async () => (await call(api, 'GET', '/v1/remediations')).status === 200, { timeoutMs: 30_000 });
    expect((await call({ url: api.url }, 'GET', '/readyz')).status).toBe(200);
  });
});

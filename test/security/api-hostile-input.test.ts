import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KNOWN_FLAGS, REMEDIATION_OUTCOMES, TRIGGER_KINDS } from '#core';
import { type RunningApi, type Stack, startApiProcess, startStack } from '#devstack';
import { call } from '../support/http.js';

/** Values nobody should be able to smuggle into an etcd key or a Temporal id, URL-encoded as sent. */
const HOSTILE_SEGMENTS: readonly [string, string][] = [
  ['a parent reference', '..%2Fx'],
  ['a slash', 'a%2Fb'],
  ['a leading dot-dot', '..hidden'],
  ['a NUL', 'a%00b'],
  ['a newline', 'a%0Ab'],
  ['an escape sequence', '%1B%5B31m'],
  ['a right-to-left override', 'gw%E2%80%AE1'],
  ['an emoji', '%F0%9F%92%A5'],
  ['spaces', 'gw%201'],
  ['quotes', "gw'%20OR%20'1'%3D'1"],
  ['a huge id', 'a'.repeat(5_000)],
];

/** Every route with a path parameter, the parameter's name, and how to call it with `value` there. */
const PARAMETER_ROUTES: readonly [string, string, (value: string) => string, unknown][] = [
  ['POST', 'gatewayId', (v) => `/v1/gateways/${v}/restore`, { reason: 'x' }],
  ['GET', 'workflowId', (v) => `/v1/remediations/${v}`, undefined],
  ['GET', 'workflowId', (v) => `/v1/remediations/${v}/runs`, undefined],
  ['GET', 'runId', (v) => `/v1/remediations/remediate:gw-1/runs/${v}`, undefined],
  ['POST', 'workflowId', (v) => `/v1/remediations/${v}/approve`, {}],
  ['POST', 'workflowId', (v) => `/v1/remediations/${v}/reject`, {}],
  ['POST', 'workflowId', (v) => `/v1/remediations/${v}/cancel`, undefined],
  ['POST', 'id', (v) => `/v1/schedules/${v}/pause`, undefined],
  ['POST', 'id', (v) => `/v1/schedules/${v}/unpause`, undefined],
  ['POST', 'id', (v) => `/v1/schedules/${v}/trigger`, undefined],
  ['DELETE', 'id', (v) => `/v1/schedules/${v}`, undefined],
  ['GET', 'version', (v) => `/v1/policies/${v}`, undefined],
  ['GET', 'name', (v) => `/v1/flags/${v}`, undefined],
  ['PUT', 'name', (v) => `/v1/flags/${v}`, { enabled: true }],
];

/** Bodies of the wrong shape for any endpoint that takes one. */
const HOSTILE_BODIES: readonly [string, string][] = [
  ['an array', '[]'],
  ['a string', '"x"'],
  ['a number', '42'],
  ['null', 'null'],
  ['a prototype key', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'],
  ['deep nesting', `${'['.repeat(5_000)}${']'.repeat(5_000)}`],
  ['wrong types everywhere', '{"gatewayId": 1, "reason": [], "dryRun": "yes", "enabled": "no", "everySeconds": {}, "tolerance": "x", "comment": 5}'],
  ['a huge string field', JSON.stringify({ gatewayId: 'gw-1', reason: 'x'.repeat(20_000), comment: '\u202e'.repeat(5_000), enabled: true, everySeconds: 60 })],
  ['control characters', JSON.stringify({ gatewayId: 'gw\u0000', reason: '\u0007\u001b[2J', comment: '\ud800' })],
  ['truncated JSON', '{"reason": "x", '],
];

const BODY_ROUTES: readonly [string, string][] = [
  ['POST', '/v1/remediations'],
  ['POST', '/v1/remediations/remediate:gw-1/approve'],
  ['POST', '/v1/remediations/remediate:gw-1/reject'],
  ['POST', '/v1/gateways/gw-1/restore'],
  ['POST', '/v1/rebalances'],
  ['PUT', '/v1/policies'],
  ['POST', '/v1/policies/validate'],
  ['POST', '/v1/policies/simulate'],
  ['PUT', '/v1/flags/detector-shadow'],
  ['POST', '/v1/schedules'],
];

/** Query strings for the run lists, hostile in every parameter. */
const HOSTILE_QUERIES = [
  'gatewayId=..%2Fx', 'gatewayId=%00', `gatewayId=${'a'.repeat(5_000)}`, 'gatewayId[a]=b', 'gatewayId=a&gatewayId=b',
  'outcome=fine', 'outcome=%F0%9F%92%A5', 'trigger=cron', "trigger=detector'%20OR%20'1'%3D'1",
  'since=yesterday', 'since=%00', 'until=2026-13-45T99:99:99Z', 'since=9999999999999999999',
  'pageSize=0', 'pageSize=-1', 'pageSize=1e9', 'pageSize=abc', 'pageSize=1.5',
  'pageToken=garbage', 'pageToken=a.b', 'pageToken=..', `pageToken=${'x'.repeat(5_000)}`, 'pageToken=%F0%9F%92%A5.%00', 'pageToken=',
  'unknown=1', '__proto__[x]=1',
];

describe('API under hostile input', () => {
  let stack: Stack;
  let api: RunningApi;

  beforeAll(async () => {
    stack = await startStack({ useExisting: false });
    api = await startApiProcess({ env: stack.env });
  });

  afterAll(async () => {
    await api?.app.process.stop();
    await stack?.stop();
  });

  describe.each(PARAMETER_ROUTES)('%s with a hostile %s', (method, parameter, path, body) => {
    it.each(HOSTILE_SEGMENTS)('should answer 400 naming the parameter for %s', async (_case, value) => {
      const response = await call(api, method, path(value), body);
      expect({ status: response.status, field: response.body.field }).toEqual({ status: 400, field: parameter });
      expect(response.contentType).toContain('application/problem+json');
    });
  });

  it.each(PARAMETER_ROUTES)('should answer %s on a malformed percent-escape in %s without a 5xx', async (method, _parameter, path, body) => {
    expect((await call(api, method, path('%E0%A4%A'), body)).status).toBe(400);
  });

  describe.each(BODY_ROUTES)('%s %s', (method, path) => {
    it.each(HOSTILE_BODIES)('should answer 400 to %s', async (_case, raw) => {
      const response = await call(api, method, path, undefined, raw);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ type: 'urn:homeostat:problem:invalid-request', status: 400, detail: expect.any(String) });
    });

    it('should answer 413 to a body over the limit, as a problem', async () => {
      const response = await call(api, method, path, { reason: 'x'.repeat(70 * 1024) });
      expect(response).toMatchObject({ status: 413, body: { type: 'urn:homeostat:problem:payload-too-large', status: 413 } });
    });
  });

  it.each(['/v1/remediations', '/v1/remediations/remediate:gw-1/runs'])('should never answer a hostile query on %s with a 5xx', async (path) => {
    for (const query of HOSTILE_QUERIES) {
      const response = await call(api, 'GET', `${path}?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: query === 'pageToken=' ? 200 : 400 });
    }
  });

  it('should answer a request line far over 16 KiB with a 431 problem the client gets to read', async () => {
    // 100 KB of percent-escapes: the client is still sending when the server has decided.
    const response = await call(api, 'GET', `/v1/remediations?pageToken=${'%F0%9F%92%A5'.repeat(8_000)}`);
    expect(response).toMatchObject({ status: 431, contentType: 'application/problem+json', body: { type: 'urn:homeostat:problem:request-too-large', status: 431 } });
  });

  it('should answer a garbage page token with a 400 naming it', async () => {
    const response = await call(api, 'GET', '/v1/remediations?pageToken=garbage');
    expect(response).toMatchObject({ status: 400, body: { field: 'pageToken', detail: expect.stringContaining('start again from the first page') } });
  });

  it.each([...TRIGGER_KINDS.map((t) => `trigger=${t}`), ...REMEDIATION_OUTCOMES.map((o) => `outcome=${o}`), 'gatewayId=gw-1', 'since=2026-01-01T00:00:00Z&until=2030-01-01T00:00:00Z'])(
    'should answer every valid filter (%s) with 200',
    async (query) => {
      expect(await call(api, 'GET', `/v1/remediations?${query}`)).toMatchObject({ status: 200, body: { runs: [] } });
    },
  );

  it('should refuse an unknown flag name, listing the known ones', async () => {
    const response = await call(api, 'PUT', '/v1/flags/detector-shadw', { enabled: true });
    expect(response).toMatchObject({ status: 400, body: { field: 'name' } });
    for (const flag of KNOWN_FLAGS) expect(response.body.detail).toContain(flag);
    expect((await call(api, 'GET', '/v1/flags')).body.flags).toEqual([]);
  });

  it('should answer an unknown run or workflow with 404, not 500', async () => {
    expect((await call(api, 'GET', '/v1/remediations/remediate:gw-1')).status).toBe(404);
    expect((await call(api, 'GET', '/v1/remediations/remediate:gw-1/runs/8f9c1f53-8d40-4ad5-a0d4-6a1c0e3e1a52')).status).toBe(404);
    expect(await call(api, 'GET', '/v1/remediations/remediate:gw-1/runs')).toMatchObject({ status: 200, body: { runs: [] } });
    expect((await call(api, 'GET', '/v1/policies/999999999')).status).toBe(404);
  });
});

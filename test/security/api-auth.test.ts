import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { writeTokenFile } from '#auth';
import { API_TEST_IDENTITIES, type RunningApi, type Stack, startApiProcess, startApp, startStack, waitUntil } from '#devstack';
import { type ApiTarget, as, call } from '../support/http.js';

const ISSUER = 'https://idp.test.invalid/';
const AUDIENCE = 'homeostat-api';

/** Every endpoint that changes something, with a body it accepts, and the role it needs. */
const MUTATIONS: readonly [string, string, unknown, 'operator' | 'admin'][] = [
  ['POST', '/v1/remediations', { gatewayId: 'gw-x', reason: 'auth test' }, 'operator'],
  ['POST', '/v1/remediations/remediate:gw-x/approve', {}, 'operator'],
  ['POST', '/v1/remediations/remediate:gw-x/reject', {}, 'operator'],
  ['POST', '/v1/remediations/remediate:gw-x/cancel', undefined, 'operator'],
  ['POST', '/v1/gateways/gw-x/restore', { reason: 'auth test' }, 'operator'],
  ['POST', '/v1/rebalances', { reason: 'auth test' }, 'operator'],
  ['PUT', '/v1/policies', {}, 'admin'],
  ['POST', '/v1/policies/validate', {}, 'admin'],
  ['PUT', '/v1/flags/detector-shadow', { enabled: false }, 'admin'],
  ['POST', '/v1/storm/lift', { reason: 'auth test' }, 'admin'],
  ['POST', '/v1/schedules', { everySeconds: 3_600 }, 'admin'],
  ['POST', '/v1/schedules/nope/pause', undefined, 'admin'],
  ['POST', '/v1/schedules/nope/unpause', undefined, 'admin'],
  ['POST', '/v1/schedules/nope/trigger', undefined, 'admin'],
  ['DELETE', '/v1/schedules/nope', undefined, 'admin'],
];

const READS = ['/v1/remediations', '/v1/remediations/remediate:gw-x', '/v1/policies', '/v1/flags', '/v1/storm', '/v1/schedules', '/v1/audit'];

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A local identity provider: a key pair the test generated, its public half served as a JWKS. */
class TestIdentityProvider {
  private constructor(
    readonly server: Server,
    private readonly key: SigningKey,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<TestIdentityProvider> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/jwks.json' ? JSON.stringify({ keys: [jwk] }) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TestIdentityProvider(server, privateKey, `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  }

  /** A token as the provider issues it; `change` adjusts claims or signs with another key. */
  async token(claims: Record<string, unknown>, { key = this.key, kid = 'test-key', expiresIn = '5m', issuer = ISSUER, audience = AUDIENCE } = {}) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('API authentication and roles', () => {
  let stack: Stack;
  let api: RunningApi;
  let idp: TestIdentityProvider;
  const anonymous = (): ApiTarget => ({ url: api.url });

  beforeAll(async () => {
    stack = await startStack({ useExisting: false });
    idp = await TestIdentityProvider.start();
    api = await startApiProcess({
      env: { ...stack.env, API_OIDC_ISSUER: ISSUER, API_OIDC_AUDIENCE: AUDIENCE, API_OIDC_JWKS_URL: idp.jwksUrl, API_OIDC_ROLE_CLAIM: 'groups' },
    });
  });

  afterAll(async () => {
    await api?.app.process.stop();
    await idp?.stop();
    await stack?.stop();
  });

  it.each(MUTATIONS)('should answer 401 problem+json to %s %s without a token', async (method, path, body) => {
    const response = await call(anonymous(), method, path, body);
    expect(response.status).toBe(401);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({ type: 'urn:homeostat:problem:unauthenticated', title: 'Unauthorized', status: 401, detail: expect.stringContaining('Bearer') });
  });

  it.each(MUTATIONS)('should answer 403 to %s %s for a viewer', async (method, path, body, needed) => {
    const response = await call(as(api, api.tokenFor('viewer')), method, path, body);
    expect(response.status).toBe(403);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.detail).toBe(`${API_TEST_IDENTITIES.viewer} is viewer; ${method} ${path} needs ${needed}`);
  });

  it.each(MUTATIONS.filter(([, , , role]) => role === 'admin'))('should answer 403 to %s %s for an operator', async (method, path, body) => {
    expect((await call(as(api, api.tokenFor('operator')), method, path, body)).status).toBe(403);
  });

  it.each(MUTATIONS.filter(([, , , role]) => role === 'operator'))('should let an operator through to %s %s', async (method, path, body) => {
    // Past authorization the request meets the domain: unknown gateway or run (404), or a started rebalance.
    const response = await call(as(api, api.tokenFor('operator')), method, path, body);
    expect([200, 201, 404]).toContain(response.status);
  });

  it('should let a viewer read, and everyone reach the health check', async () => {
    for (const path of READS) expect([200, 404]).toContain((await call(as(api, api.tokenFor('viewer')), 'GET', path)).status);
    expect(await call(anonymous(), 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call(anonymous(), 'GET', '/v1/remediations')).status).toBe(401);
  });

  it.each([
    ['a wrong token', 'Bearer hst_not-a-token-anyone-was-given'],
    ['a token with another scheme', `Basic dGVzdDp0ZXN0`],
    ['a header with no token', 'Bearer '],
    ['a token with spaces', 'Bearer a b c'],
    ['a huge token', `Bearer ${'a'.repeat(9_000)}`],
  ])('should answer 401 for %s', async (_case, authorization) => {
    const response = await call(anonymous(), 'GET', '/v1/flags', undefined, undefined, { authorization });
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:homeostat:problem:unauthenticated');
  });

  it('should answer 401 before reading the body, even for routes that do not exist', async () => {
    expect((await call(anonymous(), 'POST', '/v1/nowhere', { a: 1 })).status).toBe(401);
    expect((await call(as(api, api.token), 'POST', '/v1/nowhere', { a: 1 })).status).toBe(404);
  });

  it('should refuse a `by` in a decision body and name it', async () => {
    const response = await call(as(api, api.tokenFor('operator')), 'POST', '/v1/remediations/remediate:gw-x/approve', { by: 'someone-else' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field: 'by', detail: expect.stringContaining('by is not allowed') });
  });

  it('should follow the token file: a new token works, a removed one stops, and a broken file keeps the last good one', async () => {
    const [fresh] = await writeTokenFile(api.tokenFile, [{ name: 'rotated-admin', role: 'admin' }]);
    await waitUntil('the rotated token accepted', async () => (await call(as(api, fresh!.token), 'GET', '/v1/flags')).status === 200);
    expect((await call(as(api, api.token), 'GET', '/v1/flags')).status).toBe(401);

    const good = await readFile(api.tokenFile, 'utf8');
    await writeFile(api.tokenFile, good.replace('"admin"', '"superuser"'));
    // writeFile truncates, then writes: the API may first read a torn file (reported as not valid
    // JSON) before it reads the whole one, so wait for the report about the role.
    const report = await waitUntil('the bad role reported', async () =>
      api.app.process.tail(50).split('\n').find((line) => line.includes('token file not reloaded') && line.includes('tokens.0.role')),
    );
    expect((await call(as(api, fresh!.token), 'GET', '/v1/flags')).status).toBe(200);
    expect(report).not.toContain(JSON.parse(good).tokens[0].sha256);

    await writeFile(api.tokenFile, '{ not json');
    await waitUntil('the unparsable file reported', async () => api.app.process.tail(50).includes('not valid JSON'));
    expect((await call(as(api, fresh!.token), 'GET', '/v1/flags')).status).toBe(200);
  });

  describe('OIDC', () => {
    it('should accept a provider-signed token and record its subject with the strongest role in the claim', async () => {
      const token = await idp.token({ sub: 'alice@example.com', groups: ['viewer', 'admin', 'unrelated'] });
      const response = await call(as(api, token), 'PUT', '/v1/flags/detector-shadow', { enabled: false, reason: 'oidc admin' });
      expect(response.status).toBe(200);
    });

    it('should answer 403 for a provider-signed viewer, and for a token with no Homeostat role', async () => {
      const viewer = await call(as(api, await idp.token({ sub: 'bob', groups: 'viewer' })), 'PUT', '/v1/flags/detector-shadow', { enabled: false });
      expect(viewer).toMatchObject({ status: 403, body: { detail: 'bob is viewer; PUT /v1/flags/detector-shadow needs admin' } });
      expect((await call(as(api, await idp.token({ sub: 'bob', groups: 'viewer' })), 'GET', '/v1/flags')).status).toBe(200);
      const roleless = await call(as(api, await idp.token({ sub: 'carol' })), 'GET', '/v1/flags');
      expect(roleless).toMatchObject({ status: 403, body: { detail: expect.stringContaining('carol has no Homeostat role') } });
    });

    it('should answer 401 for expired, foreign, mis-addressed or tampered tokens', async () => {
      const other = await generateKeyPair('ES256');
      const claims = { sub: 'mallory', groups: 'admin' };
      const tokens = [
        await idp.token(claims, { expiresIn: '-1m' }),
        await idp.token(claims, { issuer: 'https://evil.invalid/' }),
        await idp.token(claims, { audience: 'some-other-api' }),
        await idp.token(claims, { key: other.privateKey }),
        await idp.token(claims, { key: other.privateKey, kid: 'unknown-key' }),
      ];
      const valid = await idp.token(claims);
      const [header, payload] = valid.split('.');
      tokens.push(`${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'root' })).toString('base64url')}.${valid.split('.')[2]}`);
      tokens.push(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`);
      for (const token of tokens) {
        const response = await call(as(api, token), 'GET', '/v1/flags');
        expect({ token, status: response.status }).toEqual({ token, status: 401 });
      }
    });
  });

  it('should refuse to start with no identity source, naming the settings, with no open fallback', async () => {
    const started = startApp('api', { name: 'api-unconfigured', env: { ...stack.env, API_PORT: '0', API_TOKEN_FILE: '' }, readyTimeoutMs: 20_000 });
    await expect(started).rejects.toThrow(/exited \(code 2[\s\S]*API_TOKEN_FILE: no identity source: set API_TOKEN_FILE, or API_OIDC_ISSUER \+ API_OIDC_AUDIENCE \+ API_OIDC_JWKS_URL/);
    const partial = startApp('api', { name: 'api-half-oidc', env: { ...stack.env, API_PORT: '0', API_OIDC_ISSUER: ISSUER }, readyTimeoutMs: 20_000 });
    await expect(partial).rejects.toThrow(/API_OIDC_AUDIENCE: required with API_OIDC_ISSUER/);
  });
});

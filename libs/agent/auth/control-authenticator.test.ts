import { describe, expect, it } from '@jest/globals';
import { ControlAuthenticator } from './control-authenticator.js';
import { MAX_CONTROL_CLOCK_SKEW_MS, signControlRequest } from './control-signature.js';

const SECRET = 'a-control-secret-of-at-least-32-chars';
const NOW = 1_767_225_600_000;
const URL_ = new URL('http://127.0.0.1:9001/control/migrate?x=1');
const body = Buffer.from('{"targets":[]}');

const request = (headers: Record<string, string>, overrides: Partial<{ method: string; path: string; body: Uint8Array; host: string }> = {}) => ({
  method: overrides.method ?? 'POST',
  path: overrides.path ?? '/control/migrate?x=1',
  headers: { host: overrides.host ?? '127.0.0.1:9001', ...headers },
  body: overrides.body ?? body,
});

describe(ControlAuthenticator.name, () => {
  const fresh = (): ControlAuthenticator => new ControlAuthenticator(SECRET, NOW - 60_000, () => NOW);

  it('should accept a request signed with the secret, once', () => {
    const auth = fresh();
    const headers = signControlRequest(SECRET, 'POST', URL_, body, NOW);
    expect(auth.check(request(headers))).toEqual({ ok: true });
    expect(auth.check(request(headers))).toEqual({ ok: false, reason: 'replayed: this nonce was used already' });
  });

  it('should refuse a request altered in method, path, host or body', () => {
    const headers = signControlRequest(SECRET, 'POST', URL_, body, NOW);
    for (const altered of [{ method: 'DELETE' }, { path: '/control/drain' }, { host: '127.0.0.1:9002' }, { body: Buffer.from('{}') }]) {
      expect(fresh().check(request(headers, altered))).toMatchObject({ ok: false, reason: expect.stringContaining('signature does not match') });
    }
  });

  it('should refuse an unsigned request, another secret, and malformed headers', () => {
    expect(fresh().check(request({}))).toMatchObject({ ok: false, reason: expect.stringContaining('unsigned') });
    expect(fresh().check(request(signControlRequest('another-secret-of-at-least-32-chars!', 'POST', URL_, body, NOW)))).toMatchObject({ reason: expect.stringContaining('signature does not match') });
    const headers = signControlRequest(SECRET, 'POST', URL_, body, NOW);
    expect(fresh().check(request({ ...headers, 'x-homeostat-timestamp': 'soon' }))).toMatchObject({ reason: expect.stringContaining('timestamp') });
    expect(fresh().check(request({ ...headers, 'x-homeostat-signature': 'short' }))).toMatchObject({ reason: expect.stringContaining('signature') });
  });

  it('should refuse timestamps more than 30 s away either way, and any signed before the gateway started', () => {
    for (const at of [NOW - MAX_CONTROL_CLOCK_SKEW_MS - 1, NOW + MAX_CONTROL_CLOCK_SKEW_MS + 1]) {
      expect(fresh().check(request(signControlRequest(SECRET, 'POST', URL_, body, at)))).toMatchObject({ ok: false, reason: expect.stringContaining('stale') });
    }
    const restarted = new ControlAuthenticator(SECRET, NOW, () => NOW + 1_000);
    expect(restarted.check(request(signControlRequest(SECRET, 'POST', URL_, body, NOW - 1)))).toMatchObject({ ok: false, reason: expect.stringContaining('before this gateway started') });
    expect(restarted.check(request(signControlRequest(SECRET, 'POST', URL_, body, NOW + 500)))).toEqual({ ok: true });
  });
});

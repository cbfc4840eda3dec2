import { describe, expect, it } from '@jest/globals';
import { MAX_REDIRECT_TOKEN_LIFETIME_MS } from './claims.js';
import { RedirectSecretTooShortError } from './secret.js';
import { InvalidRedirectGrantError, signRedirectToken } from './sign.js';
import { grant, NOW_MS, readWireClaims, SECRET } from './test-fixtures.js';

describe(signRedirectToken.name, () => {
  it('should produce a compact two-segment base64url token', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('should carry a version field and the bound claims in the first segment', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    expect(readWireClaims(token)).toEqual({
      v: 2,
      sid: 'session-42',
      src: 'gw-a',
      dst: 'gw-b',
      url: 'ws://127.0.0.1:8443/ws',
      iat: NOW_MS,
      exp: NOW_MS + 10_000,
      n: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
  });

  it('should be deterministic for the same inputs', async () => {
    expect(await signRedirectToken(SECRET, grant(), NOW_MS)).toBe(await signRedirectToken(SECRET, grant(), NOW_MS));
  });

  it('should accept a lifetime of exactly the maximum', async () => {
    await expect(
      signRedirectToken(SECRET, grant({ expiresAtMs: NOW_MS + MAX_REDIRECT_TOKEN_LIFETIME_MS }), NOW_MS),
    ).resolves.toEqual(expect.any(String));
  });

  it('should refuse a lifetime longer than 15 s', async () => {
    await expect(
      signRedirectToken(SECRET, grant({ expiresAtMs: NOW_MS + MAX_REDIRECT_TOKEN_LIFETIME_MS + 1 }), NOW_MS),
    ).rejects.toThrow(/exceeds the 15000 ms maximum/);
  });

  it('should refuse an expiry that is not in the future', async () => {
    await expect(signRedirectToken(SECRET, grant({ expiresAtMs: NOW_MS }), NOW_MS)).rejects.toBeInstanceOf(
      InvalidRedirectGrantError,
    );
  });

  it('should refuse a secret shorter than 32 bytes with a clear error', async () => {
    await expect(signRedirectToken(new Uint8Array(31), grant(), NOW_MS)).rejects.toBeInstanceOf(
      RedirectSecretTooShortError,
    );
    await expect(signRedirectToken('too-short', grant(), NOW_MS)).rejects.toThrow(/at least 32 random bytes/);
  });

  it('should refuse a nonce too short to be unique', async () => {
    await expect(signRedirectToken(SECRET, grant({ nonce: new Uint8Array(8) }), NOW_MS)).rejects.toThrow(/nonce/);
  });

  it('should refuse empty ids', async () => {
    await expect(signRedirectToken(SECRET, grant({ targetGatewayId: '' }), NOW_MS)).rejects.toThrow(
      /targetGatewayId/,
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeBase64Url } from './base64url.js';
import { RedirectSecretTooShortError } from './secret.js';
import { signRedirectToken } from './sign.js';
import { grant, nonceBytes, NOW_MS, OTHER_SECRET, readWireClaims, SECRET } from './test-fixtures.js';
import { verifyRedirectToken } from './verify.js';

const atTarget = { expectedTarget: 'gw-b', expectedSession: 'session-42', nowMs: NOW_MS + 1 };

const reencodeClaims = (token: string, edit: (wire: Record<string, unknown>) => void): string => {
  const [, macSegment = ''] = token.split('.');
  const wire = readWireClaims(token);
  edit(wire);
  return `${encodeBase64Url(new TextEncoder().encode(JSON.stringify(wire)))}.${macSegment}`;
};

describe(verifyRedirectToken.name, () => {
  it('should round-trip the claims of any grant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 15_000 }),
        fc.uint8Array({ minLength: 16, maxLength: 32 }),
        async (sessionId, sourceGatewayId, targetGatewayId, lifetimeMs, nonce) => {
          const token = await signRedirectToken(
            SECRET,
            { sessionId, sourceGatewayId, targetGatewayId, targetAddress: 'ws://t/ws', expiresAtMs: NOW_MS + lifetimeMs, nonce },
            NOW_MS,
          );
          const result = await verifyRedirectToken(SECRET, token, { expectedTarget: targetGatewayId, expectedSession: sessionId, nowMs: NOW_MS });
          expect(result).toEqual({
            ok: true,
            claims: {
              version: 2,
              sessionId,
              sourceGatewayId,
              targetGatewayId,
              targetAddress: 'ws://t/ws',
              issuedAtMs: NOW_MS,
              expiresAtMs: NOW_MS + lifetimeMs,
              nonce: encodeBase64Url(nonce),
            },
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('should refuse tampered claims as forged', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const redirected = reencodeClaims(token, (wire) => (wire.dst = 'gw-evil'));
    const prolonged = reencodeClaims(token, (wire) => (wire.exp = NOW_MS + 3_600_000));
    const otherSession = reencodeClaims(token, (wire) => (wire.sid = 'session-43'));
    for (const tampered of [redirected, prolonged, otherSession]) {
      expect(await verifyRedirectToken(SECRET, tampered, { ...atTarget, expectedTarget: 'gw-evil' })).toEqual({
        ok: false,
        reason: 'forged',
      });
    }
  });

  it('should refuse a tampered mac as forged', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const [claimsSegment] = token.split('.');
    const zeroMac = encodeBase64Url(new Uint8Array(32));
    expect(await verifyRedirectToken(SECRET, `${claimsSegment}.${zeroMac}`, atTarget)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('should refuse a token signed with another secret as forged', async () => {
    const token = await signRedirectToken(OTHER_SECRET, grant(), NOW_MS);
    expect(await verifyRedirectToken(SECRET, token, atTarget)).toEqual({ ok: false, reason: 'forged' });
  });

  it('should refuse a token at or after its expiry as expired', async () => {
    const token = await signRedirectToken(SECRET, grant({ expiresAtMs: NOW_MS + 5_000 }), NOW_MS);
    expect(await verifyRedirectToken(SECRET, token, { ...atTarget, nowMs: NOW_MS + 4_999 })).toMatchObject({
      ok: true,
    });
    for (const nowMs of [NOW_MS + 5_000, NOW_MS + 60_000]) {
      expect(await verifyRedirectToken(SECRET, token, { ...atTarget, nowMs })).toEqual({
        ok: false,
        reason: 'expired',
      });
    }
  });

  it('should refuse a token presented to another gateway as wrong-target', async () => {
    const token = await signRedirectToken(SECRET, grant({ nonce: nonceBytes(7) }), NOW_MS);
    expect(await verifyRedirectToken(SECRET, token, { ...atTarget, expectedTarget: 'gw-c', nowMs: NOW_MS })).toEqual({
      ok: false,
      reason: 'wrong-target',
    });
  });

  it('should refuse a token for another session as forged', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    expect(await verifyRedirectToken(SECRET, token, { ...atTarget, expectedSession: 'session-43' })).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('should refuse a token issued before the verifier started, and accept one issued at or after', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    expect(await verifyRedirectToken(SECRET, token, { ...atTarget, notIssuedBeforeMs: NOW_MS + 1 })).toEqual({
      ok: false,
      reason: 'predates-start',
    });
    expect(await verifyRedirectToken(SECRET, token, { ...atTarget, notIssuedBeforeMs: NOW_MS })).toMatchObject({ ok: true });
  });

  it('should refuse structurally broken tokens as malformed', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const [claimsSegment = '', macSegment = ''] = token.split('.');
    const broken = [
      '',
      'garbage',
      `${claimsSegment}.${macSegment}.extra`,
      `${claimsSegment}.`,
      `.${macSegment}`,
      `${claimsSegment}.${macSegment.slice(0, -2)}`,
      `${claimsSegment}==.${macSegment}`,
      'x'.repeat(10_000),
    ];
    for (const bad of broken) {
      expect(await verifyRedirectToken(SECRET, bad, atTarget)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('should refuse authentic but unintelligible claims as malformed', async () => {
    const signClaimsText = async (text: string): Promise<string> => {
      const segment = encodeBase64Url(new TextEncoder().encode(text));
      const key = await crypto.subtle.importKey('raw', SECRET, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(segment));
      return `${segment}.${encodeBase64Url(new Uint8Array(mac))}`;
    };
    const nonce = encodeBase64Url(nonceBytes(1));
    const validWire = { v: 2, sid: 'session-42', src: 'gw-a', dst: 'gw-b', url: 'ws://t/ws', iat: NOW_MS, exp: NOW_MS + 1000, n: nonce };
    const unintelligible = [
      'not json',
      '[]',
      JSON.stringify({ ...validWire, v: 1 }),
      JSON.stringify({ ...validWire, iat: NOW_MS + 1000 }),
      JSON.stringify({ ...validWire, url: '' }),
      JSON.stringify({ ...validWire, extra: true }),
      JSON.stringify({ ...validWire, n: 'short' }),
      JSON.stringify({ ...validWire, exp: '123' }),
    ];
    for (const text of unintelligible) {
      expect(await verifyRedirectToken(SECRET, await signClaimsText(text), atTarget)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('should refuse any single-character change to a token', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const replacement = fc.oneof(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'),
      fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), replacement, async (position, char) => {
        fc.pre(token[position] !== char);
        const mutated = token.slice(0, position) + char + token.slice(position + 1);
        const result = await verifyRedirectToken(SECRET, mutated, atTarget);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('should refuse every single-character change at every position of the mac', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const macStart = token.indexOf('.') + 1;
    for (let position = macStart; position < token.length; position++) {
      for (const char of alphabet) {
        if (char === token[position]) continue;
        const mutated = token.slice(0, position) + char + token.slice(position + 1);
        expect((await verifyRedirectToken(SECRET, mutated, atTarget)).ok).toBe(false);
      }
    }
  });

  it('should throw, not refuse, when the verifier is configured with a short secret', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    await expect(verifyRedirectToken(new Uint8Array(16), token, atTarget)).rejects.toBeInstanceOf(
      RedirectSecretTooShortError,
    );
  });
});

import { decodeBase64Url } from './base64url.js';
import type { RedirectGrant } from './sign.js';

/** Deterministic stand-ins for what production gets from a secret store and a CSPRNG. */
export const SECRET = new Uint8Array(32).map((_, index) => (index * 37 + 11) & 0xff);
export const OTHER_SECRET = new Uint8Array(32).map((_, index) => (index * 53 + 7) & 0xff);

export const NOW_MS = 1_760_000_000_000;

export const nonceBytes = (seed: number): Uint8Array =>
  new Uint8Array(16).map((_, index) => (seed * 31 + index) & 0xff);

export const grant = (overrides: Partial<RedirectGrant> = {}): RedirectGrant => ({
  sessionId: 'session-42',
  sourceGatewayId: 'gw-a',
  targetGatewayId: 'gw-b',
  targetAddress: 'ws://127.0.0.1:8443/ws',
  expiresAtMs: NOW_MS + 10_000,
  nonce: nonceBytes(1),
  ...overrides,
});

/** The claims object as it travels, read without verifying — tests use it to tamper. */
export function readWireClaims(token: string): Record<string, unknown> {
  const [claimsSegment = ''] = token.split('.');
  return JSON.parse(new TextDecoder().decode(decodeBase64Url(claimsSegment))) as Record<string, unknown>;
}

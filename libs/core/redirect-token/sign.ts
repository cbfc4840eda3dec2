import { encodeBase64Url } from './base64url.js';
import {
  claimsToWire,
  isValidAddress,
  isValidId,
  isValidNonceLength,
  MAX_ADDRESS_LENGTH,
  MAX_ID_LENGTH,
  MAX_NONCE_BYTES,
  MAX_REDIRECT_TOKEN_LIFETIME_MS,
  MIN_NONCE_BYTES,
  REDIRECT_TOKEN_VERSION,
  type RedirectClaims,
} from './claims.js';
import { importRedirectKey, type RedirectSecret } from './secret.js';
import { joinToken } from './token-format.js';

/** What the source gateway asks to be signed; the nonce is random bytes the caller supplies. */
export interface RedirectGrant {
  readonly sessionId: string;
  readonly sourceGatewayId: string;
  readonly targetGatewayId: string;
  /** The target's client address (ws://…/ws), as registered. */
  readonly targetAddress: string;
  /** Absolute time (ms since the epoch); at most 15 s after `nowMs`. */
  readonly expiresAtMs: number;
  readonly nonce: Uint8Array;
}

export class InvalidRedirectGrantError extends RangeError {
  constructor(message: string) {
    super(`cannot sign redirect token: ${message}`);
    this.name = 'InvalidRedirectGrantError';
  }
}

function assertSignable(grant: RedirectGrant, nowMs: number): void {
  for (const field of ['sessionId', 'sourceGatewayId', 'targetGatewayId'] as const) {
    if (!isValidId(grant[field])) {
      throw new InvalidRedirectGrantError(`${field} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    }
  }
  if (!isValidAddress(grant.targetAddress)) {
    throw new InvalidRedirectGrantError(`targetAddress must be a non-empty string of at most ${MAX_ADDRESS_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(grant.expiresAtMs)) throw new InvalidRedirectGrantError('expiresAtMs must be an integer');
  if (!Number.isSafeInteger(nowMs)) throw new InvalidRedirectGrantError('nowMs must be an integer');
  const lifetimeMs = grant.expiresAtMs - nowMs;
  if (lifetimeMs <= 0) throw new InvalidRedirectGrantError(`expiresAtMs is not in the future (${lifetimeMs} ms)`);
  if (lifetimeMs > MAX_REDIRECT_TOKEN_LIFETIME_MS) {
    throw new InvalidRedirectGrantError(
      `lifetime ${lifetimeMs} ms exceeds the ${MAX_REDIRECT_TOKEN_LIFETIME_MS} ms maximum`,
    );
  }
  if (!isValidNonceLength(grant.nonce.length)) {
    throw new InvalidRedirectGrantError(
      `nonce must be ${MIN_NONCE_BYTES}–${MAX_NONCE_BYTES} random bytes (got ${grant.nonce.length})`,
    );
  }
}

/**
 * Signs a single-use redirect token `base64url(JSON claims).base64url(HMAC-SHA256)`.
 * Throws `RedirectSecretTooShortError` or `InvalidRedirectGrantError` on bad input,
 * because both are programming or configuration errors, not runtime conditions.
 */
export async function signRedirectToken(secret: RedirectSecret, grant: RedirectGrant, nowMs: number): Promise<string> {
  assertSignable(grant, nowMs);
  const key = await importRedirectKey(secret);
  const claims: RedirectClaims = {
    version: REDIRECT_TOKEN_VERSION,
    sessionId: grant.sessionId,
    sourceGatewayId: grant.sourceGatewayId,
    targetGatewayId: grant.targetGatewayId,
    targetAddress: grant.targetAddress,
    issuedAtMs: nowMs,
    expiresAtMs: grant.expiresAtMs,
    nonce: encodeBase64Url(grant.nonce),
  };
  const claimsSegment = encodeBase64Url(new TextEncoder().encode(JSON.stringify(claimsToWire(claims))));
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode(claimsSegment));
  return joinToken(claimsSegment, encodeBase64Url(new Uint8Array(mac)));
}

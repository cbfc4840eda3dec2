import { claimsFromJson, type RedirectClaims } from './claims.js';
import type { RedirectVerifyRefusal } from './close-codes.js';
import { importRedirectKey, type RedirectSecret } from './secret.js';
import { splitToken } from './token-format.js';

export type RedirectVerification =
  | { readonly ok: true; readonly claims: RedirectClaims }
  | { readonly ok: false; readonly reason: RedirectVerifyRefusal };

export interface RedirectVerifyContext {
  /** The verifying gateway's own id: a token minted for another gateway must not open a session here. */
  readonly expectedTarget: string;
  /** The session the connection asks for: a token for another session is as good as forged. */
  readonly expectedSession: string;
  readonly nowMs: number;
  /**
   * When the verifying gateway started: tokens issued earlier are refused, because a
   * restarted gateway has forgotten which of them it already redeemed (single use).
   */
  readonly notIssuedBeforeMs?: number;
}

const refuse = (reason: RedirectVerifyRefusal): RedirectVerification => ({ ok: false, reason });

// Never throws on a hostile token; TextDecoder is fatal so invalid UTF-8 is refused instead of "repaired".
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Checks structure, signature (constant-time, via `crypto.subtle.verify`), expiry, target, session
 * and issue time, in that order. The claims JSON is parsed only after the signature holds, so unauthenticated input
 * never reaches the parser. Single use is the caller's `NonceLedger`'s job (see `redeemRedirectToken`).
 */
export async function verifyRedirectToken(
  secret: RedirectSecret,
  token: string,
  context: RedirectVerifyContext,
): Promise<RedirectVerification> {
  const key = await importRedirectKey(secret);
  const parts = splitToken(token);
  if (!parts) return refuse('malformed');
  const signedBytes = new TextEncoder().encode(parts.claimsSegment);
  const authentic = await globalThis.crypto.subtle.verify('HMAC', key, parts.mac, signedBytes);
  if (!authentic) return refuse('forged');
  const json = decodeUtf8(parts.claimsJsonBytes);
  const claims = json === undefined ? undefined : claimsFromJson(json);
  if (!claims) return refuse('malformed');
  if (context.nowMs >= claims.expiresAtMs) return refuse('expired');
  if (claims.targetGatewayId !== context.expectedTarget) return refuse('wrong-target');
  if (claims.sessionId !== context.expectedSession) return refuse('forged');
  if (claims.issuedAtMs < (context.notIssuedBeforeMs ?? Number.NEGATIVE_INFINITY)) return refuse('predates-start');
  return { ok: true, claims };
}

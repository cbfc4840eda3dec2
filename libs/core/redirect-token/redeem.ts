import type { RedirectClaims } from './claims.js';
import {
  closeCodeForRefusal,
  closeReasonForCode,
  type RedirectCloseCode,
  type RedirectRefusal,
} from './close-codes.js';
import type { NonceLedger } from './nonce-ledger.js';
import type { RedirectSecret } from './secret.js';
import { verifyRedirectToken, type RedirectVerifyContext } from './verify.js';

export type RedirectRedemption =
  | { readonly ok: true; readonly claims: RedirectClaims }
  | {
      readonly ok: false;
      readonly reason: RedirectRefusal;
      readonly closeCode: RedirectCloseCode;
      readonly closeReason: string;
    };

export interface RedirectRedeemContext extends RedirectVerifyContext {
  readonly ledger: NonceLedger;
}

const refuse = (reason: RedirectRefusal): RedirectRedemption => {
  const closeCode = closeCodeForRefusal(reason);
  return { ok: false, reason, closeCode, closeReason: closeReasonForCode(closeCode) };
};

/**
 * What a target gateway does with a reconnecting client's token: verify it (signature, expiry,
 * target, session, issue time), then spend its nonce. Only a token that passed every other check
 * spends its nonce, so a refused token (say, presented to the wrong gateway or for another
 * session) does not burn the client's legitimate redirect.
 */
export async function redeemRedirectToken(
  secret: RedirectSecret,
  token: string,
  context: RedirectRedeemContext,
): Promise<RedirectRedemption> {
  const verification = await verifyRedirectToken(secret, token, context);
  if (!verification.ok) return refuse(verification.reason);
  const { nonce, expiresAtMs } = verification.claims;
  const claim = context.ledger.claim(nonce, expiresAtMs, context.nowMs);
  if (claim === 'replayed') return refuse('replayed');
  if (claim === 'expired') return refuse('expired');
  return verification;
}

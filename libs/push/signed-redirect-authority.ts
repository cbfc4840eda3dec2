import { randomBytes } from 'node:crypto';
import {
  CLOSE_CODE_TOKEN_FORGED,
  MAX_REDIRECT_TOKEN_LIFETIME_MS,
  NonceLedger,
  type RedirectSecret,
  closeReasonForCode,
  redeemRedirectToken,
  signRedirectToken,
} from '#core';
import { type Admission, type RedirectAuthority } from './redirect-authority.js';

/**
 * Redirect tokens for one gateway: it signs tokens for sessions it sends away and
 * redeems, once each, the tokens of sessions sent to it. The clock and the random
 * nonce live here so the token logic in `libs/core` stays pure.
 */
export class SignedRedirectAuthority implements RedirectAuthority {
  private readonly ledger = new NonceLedger();

  constructor(
    private readonly gatewayId: string,
    private readonly secret: RedirectSecret,
    private readonly lifetimeMs = MAX_REDIRECT_TOKEN_LIFETIME_MS,
  ) {}

  issue(sessionId: string, targetGatewayId: string): Promise<string> {
    const now = Date.now();
    return signRedirectToken(
      this.secret,
      { sessionId, sourceGatewayId: this.gatewayId, targetGatewayId, expiresAtMs: now + this.lifetimeMs, nonce: randomBytes(16) },
      now,
    );
  }

  async admit(token: string, sessionId: string): Promise<Admission> {
    const redemption = await redeemRedirectToken(this.secret, token, {
      expectedTarget: this.gatewayId,
      nowMs: Date.now(),
      ledger: this.ledger,
    });
    if (!redemption.ok) return { ok: false, code: redemption.closeCode, reason: redemption.closeReason };
    // A valid token for another session is as good as forged here.
    if (redemption.claims.sessionId !== sessionId) {
      return { ok: false, code: CLOSE_CODE_TOKEN_FORGED, reason: closeReasonForCode(CLOSE_CODE_TOKEN_FORGED) };
    }
    return { ok: true };
  }
}

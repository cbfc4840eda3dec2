import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  MAX_REDIRECT_TOKEN_LIFETIME_MS,
  NonceLedger,
  type RedirectSecret,
  redeemRedirectToken,
  signRedirectToken,
} from '#core';
import { type Admission, type RedirectAuthority } from './redirect-authority.js';

/** Domain separation: a resume secret can never equal a token's MAC (those sign base64url text, no `:`). */
const RESUME_CONTEXT = 'homeostat-resume-v1:';

/**
 * Redirect tokens and resume secrets for one gateway: it signs tokens for sessions it
 * sends away and redeems, once each, the tokens of sessions sent to it. The clock and
 * the random nonce live here so the token logic in `libs/core` stays pure.
 *
 * Single use across a restart: the nonce ledger lives in memory, so a restarted
 * gateway refuses every token issued before it started (it cannot know which of them
 * it spent before it died); those clients resume with their resume secret instead.
 */
export class SignedRedirectAuthority implements RedirectAuthority {
  private readonly ledger = new NonceLedger();
  private readonly resumeKey: Buffer;

  constructor(
    private readonly gatewayId: string,
    private readonly secret: RedirectSecret,
    private readonly lifetimeMs = MAX_REDIRECT_TOKEN_LIFETIME_MS,
    private readonly startedAtMs = Date.now(),
  ) {
    this.resumeKey = Buffer.from(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
  }

  issue(sessionId: string, target: { readonly gatewayId: string; readonly address: string }): Promise<string> {
    const now = Date.now();
    return signRedirectToken(
      this.secret,
      {
        sessionId,
        sourceGatewayId: this.gatewayId,
        targetGatewayId: target.gatewayId,
        targetAddress: target.address,
        expiresAtMs: now + this.lifetimeMs,
        nonce: randomBytes(16),
      },
      now,
    );
  }

  async admit(token: string, sessionId: string): Promise<Admission> {
    const redemption = await redeemRedirectToken(this.secret, token, {
      expectedTarget: this.gatewayId,
      expectedSession: sessionId,
      nowMs: Date.now(),
      notIssuedBeforeMs: this.startedAtMs,
      ledger: this.ledger,
    });
    return redemption.ok ? { ok: true } : { ok: false, code: redemption.closeCode, reason: redemption.closeReason };
  }

  resumeSecret(sessionId: string): string {
    return this.resumeMac(sessionId).toString('base64url');
  }

  provesResume(sessionId: string, presented: string): boolean {
    const expected = this.resumeMac(sessionId);
    const given = Buffer.from(presented, 'base64url');
    // Same length first (timingSafeEqual demands it; a MAC's length is no secret), and only the canonical text.
    return given.length === expected.length && given.toString('base64url') === presented && timingSafeEqual(given, expected);
  }

  private resumeMac(sessionId: string): Buffer {
    return createHmac('sha256', this.resumeKey).update(RESUME_CONTEXT + sessionId).digest();
  }
}

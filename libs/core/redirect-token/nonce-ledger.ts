import { ExpiryQueue } from './expiry-queue.js';

/** `fresh`: first use, now remembered; `replayed`: seen before; `expired`: too late to be worth remembering. */
export type NonceClaim = 'fresh' | 'replayed' | 'expired';

/**
 * Remembers the nonces of redeemed tokens until those tokens expire — after that the
 * expiry check refuses them anyway — so the ledger holds at most the tokens redeemed in
 * the last token lifetime (≤ 15 s) and stays bounded without any timer.
 * No I/O and no clock: the caller passes `nowMs`. One ledger per target gateway process.
 */
export class NonceLedger {
  readonly #expiryByNonce = new Map<string, number>();
  readonly #expiries = new ExpiryQueue();

  /** Number of nonces currently remembered (call `prune` first for an exact live count). */
  get size(): number {
    return this.#expiryByNonce.size;
  }

  /** Records a nonce as used, answering whether it had been used already. */
  claim(nonce: string, expiresAtMs: number, nowMs: number): NonceClaim {
    this.prune(nowMs);
    if (this.#expiryByNonce.has(nonce)) return 'replayed';
    if (expiresAtMs <= nowMs) return 'expired';
    this.#expiryByNonce.set(nonce, expiresAtMs);
    this.#expiries.push(nonce, expiresAtMs);
    return 'fresh';
  }

  hasSeen(nonce: string, nowMs: number): boolean {
    this.prune(nowMs);
    return this.#expiryByNonce.has(nonce);
  }

  /** Forgets nonces whose tokens have expired; returns how many were forgotten. */
  prune(nowMs: number): number {
    const expired = this.#expiries.popExpired(nowMs);
    for (const nonce of expired) this.#expiryByNonce.delete(nonce);
    return expired.length;
  }
}

import { type IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { NonceLedger } from '#core';
import { MAX_CONTROL_CLOCK_SKEW_MS, SIGNATURE_HEADERS, controlSignature } from './control-signature.js';

export type ControlAuthResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ControlRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Checks the signature of every control request and control-channel upgrade: the
 * HMAC-SHA256 of method, host, path, body hash, timestamp and nonce under the
 * shared CONTROL_SECRET; a timestamp within 30 s of this clock; a nonce not seen
 * within that window. Nonces live in memory, so after a restart anything signed
 * before this process started is refused too (it may have been seen already).
 */
export class ControlAuthenticator {
  private readonly ledger = new NonceLedger();

  constructor(
    private readonly secret: string,
    private readonly startedAtMs = Date.now(),
    private readonly clock: () => number = Date.now,
  ) {}

  check({ method, path, headers, body }: ControlRequest): ControlAuthResult {
    const timestampText = header(headers, SIGNATURE_HEADERS.timestamp);
    const nonce = header(headers, SIGNATURE_HEADERS.nonce);
    const signature = header(headers, SIGNATURE_HEADERS.signature);
    const host = header(headers, 'host');
    if (timestampText === undefined || nonce === undefined || signature === undefined) {
      return refuse(`unsigned: send ${Object.values(SIGNATURE_HEADERS).join(', ')} (docs/protocol.md §7.0)`);
    }
    const timestamp = Number(timestampText);
    if (!/^\d{1,16}$/.test(timestampText) || !Number.isSafeInteger(timestamp)) return refuse(`${SIGNATURE_HEADERS.timestamp}: must be ms since the epoch`);
    if (!NONCE_PATTERN.test(nonce)) return refuse(`${SIGNATURE_HEADERS.nonce}: must be 16–128 base64url characters`);
    if (!SIGNATURE_PATTERN.test(signature)) return refuse(`${SIGNATURE_HEADERS.signature}: must be a base64url HMAC-SHA256`);
    if (host === undefined) return refuse('host: header missing');
    const expected = Buffer.from(controlSignature(this.secret, { method, host, path, body, timestamp, nonce }));
    if (!timingSafeEqual(Buffer.from(signature), expected)) return refuse('signature does not match (wrong CONTROL_SECRET, or the request was altered)');
    const now = this.clock();
    if (Math.abs(now - timestamp) > MAX_CONTROL_CLOCK_SKEW_MS) return refuse(`stale: signed ${now - timestamp} ms from this gateway's clock (at most ${MAX_CONTROL_CLOCK_SKEW_MS} either way)`);
    if (timestamp < this.startedAtMs) return refuse('signed before this gateway started: sign it again');
    // Remembered until the staleness check would refuse it anyway, so the ledger stays bounded.
    if (this.ledger.claim(nonce, timestamp + MAX_CONTROL_CLOCK_SKEW_MS + 1, now) !== 'fresh') return refuse('replayed: this nonce was used already');
    return { ok: true };
  }
}

const refuse = (reason: string): ControlAuthResult => ({ ok: false, reason });

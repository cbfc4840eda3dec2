import { createHash, createHmac, randomBytes } from 'node:crypto';

/** The headers a signed control request carries (docs/protocol.md §7.0). */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-homeostat-timestamp',
  nonce: 'x-homeostat-nonce',
  signature: 'x-homeostat-signature',
} as const;

/** A request signed more than this far from the gateway's clock (either way) is refused as stale. */
export const MAX_CONTROL_CLOCK_SKEW_MS = 30_000;
/** RFC 2104: a key at least as long as the hash output. */
export const MIN_CONTROL_SECRET_LENGTH = 32;

export interface SignedParts {
  readonly method: string;
  /** Where the request goes (`host:port`), so a request signed for one gateway cannot be replayed to another. */
  readonly host: string;
  /** Path and query exactly as sent, e.g. `/control/migrations/b-1`. */
  readonly path: string;
  readonly body: Uint8Array;
  readonly timestamp: number;
  readonly nonce: string;
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The exact text the HMAC covers: one field per line, the body by its SHA-256. */
export const canonicalRequest = ({ method, host, path, body, timestamp, nonce }: SignedParts): string =>
  ['HOMEOSTAT-HMAC-SHA256', method.toUpperCase(), host.toLowerCase(), path, sha256Hex(body), String(timestamp), nonce].join('\n');

export const controlSignature = (secret: string, parts: SignedParts): string =>
  createHmac('sha256', secret).update(canonicalRequest(parts)).digest('base64url');

/** Headers for one request to `url` (a fresh nonce and the current time each call). */
export const signControlRequest = (
  secret: string,
  method: string,
  url: URL,
  body: Uint8Array = new Uint8Array(0),
  now = Date.now(),
): Record<string, string> => {
  const nonce = randomBytes(16).toString('base64url');
  const signature = controlSignature(secret, { method, host: url.host, path: `${url.pathname}${url.search}`, body, timestamp: now, nonce });
  return { [SIGNATURE_HEADERS.timestamp]: String(now), [SIGNATURE_HEADERS.nonce]: nonce, [SIGNATURE_HEADERS.signature]: signature };
};

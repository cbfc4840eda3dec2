import { decodeBase64Url } from './base64url.js';

export const REDIRECT_TOKEN_VERSION = 1;

/** A redirect only has to outlive one client reconnect; a short life keeps a leaked token nearly worthless. */
export const MAX_REDIRECT_TOKEN_LIFETIME_MS = 15_000;

/** 128 random bits make a nonce collision between two honest tokens practically impossible. */
export const MIN_NONCE_BYTES = 16;
export const MAX_NONCE_BYTES = 64;

/** Bounds the work a hostile token can cause before its signature is even checked. */
export const MAX_ID_LENGTH = 256;

/** What a verified token vouches for. */
export interface RedirectClaims {
  readonly version: typeof REDIRECT_TOKEN_VERSION;
  readonly sessionId: string;
  readonly sourceGatewayId: string;
  readonly targetGatewayId: string;
  /** Absolute time (ms since the epoch) from which the token is refused. */
  readonly expiresAtMs: number;
  /** base64url of the caller's random bytes. */
  readonly nonce: string;
}

/** Short keys keep the token small enough for a query string. */
interface WireClaims {
  v: number;
  sid: string;
  src: string;
  dst: string;
  exp: number;
  n: string;
}

const WIRE_KEYS: readonly (keyof WireClaims)[] = ['v', 'sid', 'src', 'dst', 'exp', 'n'];

export function claimsToWire(claims: RedirectClaims): WireClaims {
  return {
    v: claims.version,
    sid: claims.sessionId,
    src: claims.sourceGatewayId,
    dst: claims.targetGatewayId,
    exp: claims.expiresAtMs,
    n: claims.nonce,
  };
}

export const isValidId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

export const isValidNonceLength = (byteLength: number): boolean =>
  byteLength >= MIN_NONCE_BYTES && byteLength <= MAX_NONCE_BYTES;

const isValidNonce = (nonce: unknown): nonce is string =>
  typeof nonce === 'string' && isValidNonceLength(decodeBase64Url(nonce)?.length ?? 0);

function isWireClaims(value: unknown): value is WireClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  // Exactly the known keys: anything else means a format this version does not understand.
  const keys = Object.keys(record);
  return (
    keys.length === WIRE_KEYS.length &&
    WIRE_KEYS.every((key) => key in record) &&
    record.v === REDIRECT_TOKEN_VERSION &&
    isValidId(record.sid) &&
    isValidId(record.src) &&
    isValidId(record.dst) &&
    Number.isSafeInteger(record.exp) &&
    isValidNonce(record.n)
  );
}

/** Parses the claims JSON; `undefined` for anything that is not a version-1 claims object. */
export function claimsFromJson(json: string): RedirectClaims | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isWireClaims(parsed)) return undefined;
  return {
    version: REDIRECT_TOKEN_VERSION,
    sessionId: parsed.sid,
    sourceGatewayId: parsed.src,
    targetGatewayId: parsed.dst,
    expiresAtMs: parsed.exp,
    nonce: parsed.n,
  };
}

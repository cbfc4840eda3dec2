import { decodeBase64Url } from './base64url.js';

/** Version 2 binds the target's client address and the issue time (version 1 tokens are refused as malformed). */
export const REDIRECT_TOKEN_VERSION = 2;

/** A redirect only has to outlive one client reconnect; a short life keeps a leaked token nearly worthless. */
export const MAX_REDIRECT_TOKEN_LIFETIME_MS = 15_000;

/** 128 random bits make a nonce collision between two honest tokens practically impossible. */
export const MIN_NONCE_BYTES = 16;
export const MAX_NONCE_BYTES = 64;

/** Bounds the work a hostile token can cause before its signature is even checked. */
export const MAX_ID_LENGTH = 256;
/** The target's client address (ws://…/ws) is short; a longer one is not a gateway's. */
export const MAX_ADDRESS_LENGTH = 2048;

/** What a verified token vouches for. */
export interface RedirectClaims {
  readonly version: typeof REDIRECT_TOKEN_VERSION;
  readonly sessionId: string;
  readonly sourceGatewayId: string;
  readonly targetGatewayId: string;
  /** The target's client address (ws://…/ws): the only place a client may follow this redirect to. */
  readonly targetAddress: string;
  /** When the source signed it (ms since the epoch): a target refuses tokens issued before it started. */
  readonly issuedAtMs: number;
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
  url: string;
  iat: number;
  exp: number;
  n: string;
}

const WIRE_KEYS: readonly (keyof WireClaims)[] = ['v', 'sid', 'src', 'dst', 'url', 'iat', 'exp', 'n'];

export function claimsToWire(claims: RedirectClaims): WireClaims {
  return {
    v: claims.version,
    sid: claims.sessionId,
    src: claims.sourceGatewayId,
    dst: claims.targetGatewayId,
    url: claims.targetAddress,
    iat: claims.issuedAtMs,
    exp: claims.expiresAtMs,
    n: claims.nonce,
  };
}

export const isValidId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

export const isValidAddress = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ADDRESS_LENGTH;

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
    isValidAddress(record.url) &&
    Number.isSafeInteger(record.iat) &&
    Number.isSafeInteger(record.exp) &&
    (record.iat as number) < (record.exp as number) &&
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
    targetAddress: parsed.url,
    issuedAtMs: parsed.iat,
    expiresAtMs: parsed.exp,
    nonce: parsed.n,
  };
}

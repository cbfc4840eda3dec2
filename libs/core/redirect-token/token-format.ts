import { decodeBase64Url } from './base64url.js';

/** HMAC-SHA256 output length. */
export const MAC_BYTES = 32;

/** Generous for the largest claims a signer can produce; anything longer is refused unread. */
export const MAX_REDIRECT_TOKEN_LENGTH = 8192;

const SEPARATOR = '.';

/** The two parts of `base64url(JSON claims).base64url(mac)`; the MAC covers the claims segment's text. */
export interface TokenParts {
  readonly claimsSegment: string;
  readonly claimsJsonBytes: Uint8Array;
  readonly mac: Uint8Array;
}

export const joinToken = (claimsSegment: string, macSegment: string): string =>
  `${claimsSegment}${SEPARATOR}${macSegment}`;

/** Splits and decodes a token's structure without trusting anything inside it. */
export function splitToken(token: unknown): TokenParts | undefined {
  if (typeof token !== 'string' || token.length > MAX_REDIRECT_TOKEN_LENGTH) return undefined;
  const segments = token.split(SEPARATOR);
  if (segments.length !== 2) return undefined;
  const [claimsSegment = '', macSegment = ''] = segments;
  const claimsJsonBytes = decodeBase64Url(claimsSegment);
  const mac = decodeBase64Url(macSegment);
  if (!claimsJsonBytes || claimsJsonBytes.length === 0 || mac?.length !== MAC_BYTES) return undefined;
  return { claimsSegment, claimsJsonBytes, mac };
}

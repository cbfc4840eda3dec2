import { decodeBase64Url } from './base64url.js';
import { claimsFromJson, type RedirectClaims } from './claims.js';
import { MAX_REDIRECT_TOKEN_LENGTH } from './token-format.js';

/**
 * The claims of a token, read WITHOUT checking its signature — for clients, which do
 * not hold the fleet secret. A client uses them only to refuse: a redirect whose
 * `target` or `url` differs from what the token names is not followed.
 */
export function peekRedirectClaims(token: string): RedirectClaims | undefined {
  if (token.length > MAX_REDIRECT_TOKEN_LENGTH) return undefined;
  const [claimsSegment = ''] = token.split('.', 1);
  const bytes = decodeBase64Url(claimsSegment);
  if (!bytes) return undefined;
  try {
    return claimsFromJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

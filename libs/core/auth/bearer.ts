/** Longer than any token file secret or JWT we expect; bounds the work a header can cause. */
export const MAX_BEARER_TOKEN_LENGTH = 8_192;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750: scheme case-insensitive,
 * token68 alphabet), or undefined when there is none or it is malformed.
 */
export const bearerToken = (header: string | undefined): string | undefined => {
  if (!header) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  const token = match?.[1];
  return token && token.length <= MAX_BEARER_TOKEN_LENGTH ? token : undefined;
};

/** A compact JWS has three base64url parts; token-file secrets never contain a dot. */
export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

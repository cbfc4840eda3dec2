import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a token file stores for a token: SHA-256, lowercase hex. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Whether a presented token hashes to a stored hash. Both sides are 32-byte digests, so
 * the comparison takes the same time whatever the token's length or how much of it is right.
 */
export const tokenMatchesHash = (token: string, sha256Hex: string): boolean => {
  const stored = Buffer.from(sha256Hex, 'hex');
  const presented = createHash('sha256').update(token, 'utf8').digest();
  return stored.length === presented.length && timingSafeEqual(stored, presented);
};

/** A fresh API token: 32 random bytes, base64url, with a prefix that makes a leaked one easy to grep for. */
export const generateToken = (): string => `hst_${randomBytes(32).toString('base64url')}`;

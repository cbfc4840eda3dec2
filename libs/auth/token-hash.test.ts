import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { generateToken, hashToken, tokenMatchesHash } from './token-hash.js';

describe(tokenMatchesHash.name, () => {
  it('should match a token against its own hash and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (token, other) => {
        expect(tokenMatchesHash(token, hashToken(token))).toBe(true);
        expect(tokenMatchesHash(other, hashToken(token))).toBe(other === token);
      }),
    );
  });

  it('should refuse a stored hash that is not a SHA-256 digest rather than throw', () => {
    expect(tokenMatchesHash('x', 'abcd')).toBe(false);
    expect(tokenMatchesHash('x', '')).toBe(false);
  });
});

describe(generateToken.name, () => {
  it('should make distinct bearer-safe tokens that are not JWT-shaped', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^hst_[A-Za-z0-9_-]{43}$/);
  });
});

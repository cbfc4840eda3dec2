import { describe, expect, it } from '@jest/globals';
import { MAX_BEARER_TOKEN_LENGTH, bearerToken, looksLikeJwt } from './bearer.js';

describe(bearerToken.name, () => {
  it('should read the token of a Bearer header whatever the scheme\'s case', () => {
    expect(bearerToken('Bearer hst_abc-DEF_123')).toBe('hst_abc-DEF_123');
    expect(bearerToken('bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('BEARER abc==')).toBe('abc==');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearer a\u0000b', 'Bearer ü', `Bearer ${'a'.repeat(MAX_BEARER_TOKEN_LENGTH + 1)}`])(
    'should find no token in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined();
    },
  );
});

describe(looksLikeJwt.name, () => {
  it('should tell compact JWS from opaque tokens', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln')).toBe(true);
    expect(looksLikeJwt('hst_abcdef')).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';

describe(encodeBase64Url.name, () => {
  it('should match the RFC 4648 test vectors without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) expect(encodeBase64Url(new TextEncoder().encode(plain))).toBe(encoded);
  });

  it('should use the URL-safe alphabet', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });
});

describe(decodeBase64Url.name, () => {
  it('should round-trip any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('should accept only the canonical encoding', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const decoded = decodeBase64Url(text);
        if (decoded !== undefined) expect(encodeBase64Url(decoded)).toBe(text);
      }),
    );
  });

  it('should refuse padding, foreign characters, impossible lengths and non-zero trailing bits', () => {
    for (const bad of ['Zg==', 'Zm9v+', 'Zm9v/', 'Z', 'Zm9vY', 'Zh', 'Zm9', 'Zm8 ', 'Zm\u00e9']) {
      expect(decodeBase64Url(bad)).toBeUndefined();
    }
  });
});

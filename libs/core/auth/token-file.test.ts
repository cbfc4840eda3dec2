import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TokenFileError, parseTokenFile } from './token-file.js';

const HASH = 'a'.repeat(64);

describe(parseTokenFile.name, () => {
  it('should read names, roles and hashes', () => {
    const file = { tokens: [{ name: 'ci-bot', role: 'operator', sha256: HASH }] };
    expect(parseTokenFile(JSON.stringify(file))).toEqual(file);
  });

  it.each([
    ['not JSON', '{ tokens: ', 'not valid JSON'],
    ['an unknown role', JSON.stringify({ tokens: [{ name: 'a', role: 'root', sha256: HASH }] }), 'tokens.0.role'],
    ['a plain token instead of a hash', JSON.stringify({ tokens: [{ name: 'a', role: 'admin', sha256: 'hunter2' }] }), 'tokens.0.sha256'],
    ['a token field', JSON.stringify({ tokens: [{ name: 'a', role: 'admin', sha256: HASH, token: 'hunter2' }] }), 'tokens.0'],
    ['a duplicate name', JSON.stringify({ tokens: [{ name: 'a', role: 'admin', sha256: HASH }, { name: 'a', role: 'viewer', sha256: HASH }] }), 'appears more than once'],
    ['a name with a newline', JSON.stringify({ tokens: [{ name: 'a\nb', role: 'admin', sha256: HASH }] }), 'tokens.0.name'],
  ])('should refuse %s, saying where', (_case, text, where) => {
    expect(() => parseTokenFile(text)).toThrow(TokenFileError);
    expect(() => parseTokenFile(text)).toThrow(where);
  });

  it('should never put a value from the file into its message', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }).filter((s) => !/^[\w.@:+-]+$/.test(s)), (secret) => {
        const text = JSON.stringify({ tokens: [{ name: secret, role: secret, sha256: secret, token: secret }] });
        try {
          parseTokenFile(text);
        } catch (error) {
          expect((error as Error).message).not.toContain(secret);
          return;
        }
        throw new Error('accepted a malformed file');
      }),
    );
  });
});

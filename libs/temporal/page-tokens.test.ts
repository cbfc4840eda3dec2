import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidPageTokenError, PageTokens } from './page-tokens.js';

describe(PageTokens.name, () => {
  it('should open what it sealed for the same query, to the same bytes', () => {
    const tokens = new PageTokens();
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ minLength: 1, maxLength: 200 }), (query, raw) => {
        expect([...tokens.open(query, tokens.seal(query, raw))]).toEqual([...raw]);
      }),
    );
  });

  it('should refuse a token sealed for another query, by another process, altered, or made up', () => {
    const tokens = new PageTokens();
    const sealed = tokens.seal("WorkflowType = 'x'", Buffer.from('page-2'));
    expect(() => tokens.open("WorkflowType = 'y'", sealed)).toThrow(InvalidPageTokenError);
    expect(() => new PageTokens().open("WorkflowType = 'x'", sealed)).toThrow(InvalidPageTokenError);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (garbage) => {
        expect(() => tokens.open("WorkflowType = 'x'", garbage)).toThrow(InvalidPageTokenError);
      }),
    );
    const [token, mac] = sealed.split('.');
    expect(() => tokens.open("WorkflowType = 'x'", `${token}A.${mac}`)).toThrow('start again from the first page');
  });
});

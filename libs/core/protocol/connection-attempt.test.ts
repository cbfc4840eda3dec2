import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isStaleAttempt, parseConnectionAttempt } from './connection-attempt.js';

describe(parseConnectionAttempt.name, () => {
  it('should read an instance and a count', () => {
    expect(parseConnectionAttempt('k3Jd_9-x.42')).toEqual({ instance: 'k3Jd_9-x', count: 42 });
  });

  it('should leave a connection without one undefined', () => {
    expect(parseConnectionAttempt(null)).toBeUndefined();
  });

  it.each(['', '.', 'abc', 'abc.', '.3', 'abc.0', 'abc.07', 'abc.-1', 'a b.1', 'abc.1.2', `${'a'.repeat(33)}.1`, 'abc.1234567890123456'])('should call %p invalid', (raw) => {
    expect(parseConnectionAttempt(raw)).toBe('invalid');
  });

  it('should read back every well-formed attempt', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), fc.integer({ min: 1, max: 999_999_999_999_999 }), (instance, count) => {
        expect(parseConnectionAttempt(`${instance}.${count}`)).toEqual({ instance, count });
      }),
    );
  });
});

describe(isStaleAttempt.name, () => {
  it('should call an earlier attempt of the same instance stale', () => {
    expect(isStaleAttempt({ instance: 'a', count: 3 }, { instance: 'a', count: 5 })).toBe(true);
  });

  it('should let a later or equal attempt of the same instance replace', () => {
    expect(isStaleAttempt({ instance: 'a', count: 5 }, { instance: 'a', count: 5 })).toBe(false);
    expect(isStaleAttempt({ instance: 'a', count: 6 }, { instance: 'a', count: 5 })).toBe(false);
  });

  it('should let another instance (a restarted client) or a client without attempts replace', () => {
    expect(isStaleAttempt({ instance: 'b', count: 1 }, { instance: 'a', count: 9 })).toBe(false);
    expect(isStaleAttempt(undefined, { instance: 'a', count: 9 })).toBe(false);
    expect(isStaleAttempt({ instance: 'a', count: 1 }, undefined)).toBe(false);
  });

  it('should never call both of two attempts stale against each other', () => {
    const attempt = fc.record({ instance: fc.constantFrom('a', 'b'), count: fc.integer({ min: 1, max: 1_000 }) });
    fc.assert(fc.property(attempt, attempt, (x, y) => !(isStaleAttempt(x, y) && isStaleAttempt(y, x))));
  });
});

import { describe, expect, it } from '@jest/globals';
import { ConnectionLimiter } from './connection-limiter.js';

describe(ConnectionLimiter.name, () => {
  it('should admit up to the limit per address, and again after a release', () => {
    const limiter = new ConnectionLimiter(2);
    expect([limiter.tryAdmit('10.0.0.1'), limiter.tryAdmit('10.0.0.1'), limiter.tryAdmit('10.0.0.1')]).toEqual([true, true, false]);
    expect(limiter.tryAdmit('10.0.0.2')).toBe(true);
    limiter.release('10.0.0.1');
    expect(limiter.tryAdmit('10.0.0.1')).toBe(true);
  });

  it('should forget an address once its last connection is released', () => {
    const limiter = new ConnectionLimiter(5);
    limiter.tryAdmit('10.0.0.1');
    limiter.release('10.0.0.1');
    expect(limiter.addresses).toBe(0);
  });

  it('should admit everything with limit 0', () => {
    const limiter = new ConnectionLimiter(0);
    for (let i = 0; i < 10_000; i++) expect(limiter.tryAdmit('127.0.0.1')).toBe(true);
  });
});

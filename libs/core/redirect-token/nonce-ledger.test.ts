import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { NonceLedger } from './nonce-ledger.js';

describe(NonceLedger.name, () => {
  it('should answer replayed for a nonce already claimed and not yet expired', () => {
    const ledger = new NonceLedger();
    expect(ledger.claim('n1', 1_000, 0)).toBe('fresh');
    expect(ledger.claim('n1', 1_000, 500)).toBe('replayed');
    expect(ledger.claim('n2', 1_000, 500)).toBe('fresh');
  });

  it('should forget a nonce once its token has expired', () => {
    const ledger = new NonceLedger();
    ledger.claim('n1', 1_000, 0);
    expect(ledger.hasSeen('n1', 999)).toBe(true);
    expect(ledger.hasSeen('n1', 1_000)).toBe(false);
    expect(ledger.size).toBe(0);
  });

  it('should not remember a nonce whose token is already expired', () => {
    const ledger = new NonceLedger();
    expect(ledger.claim('n1', 1_000, 1_000)).toBe('expired');
    expect(ledger.size).toBe(0);
  });

  it('should stay bounded by the tokens claimed within one lifetime', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15_000 }), fc.integer({ min: 1, max: 50 }), (lifetimeMs, stepMs) => {
        const ledger = new NonceLedger();
        const bound = Math.ceil(lifetimeMs / stepMs) + 1;
        let largestSize = 0;
        for (let index = 0, nowMs = 0; index < 1_000; index++, nowMs += stepMs) {
          ledger.claim(`nonce-${index}`, nowMs + lifetimeMs, nowMs);
          largestSize = Math.max(largestSize, ledger.size);
        }
        expect(largestSize).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 30 },
    );
  });

  it('should report how many nonces pruning forgot', () => {
    const ledger = new NonceLedger();
    ledger.claim('a', 10, 0);
    ledger.claim('b', 20, 0);
    ledger.claim('c', 30, 0);
    expect(ledger.prune(20)).toBe(2);
    expect(ledger.size).toBe(1);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ExpiryQueue } from './expiry-queue.js';

describe(ExpiryQueue.name, () => {
  it('should pop exactly the keys expired at each point in time, earliest first', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string(), fc.integer({ min: 0, max: 1000 })), { selector: ([key]) => key }),
        fc.array(fc.integer({ min: 0, max: 1100 }), { maxLength: 5 }),
        (entries, checkpoints) => {
          const queue = new ExpiryQueue();
          for (const [key, expiresAtMs] of entries) queue.push(key, expiresAtMs);
          let remaining = entries;
          for (const nowMs of [...checkpoints].sort((a, b) => a - b)) {
            const popped = queue.popExpired(nowMs);
            const due = remaining.filter(([, expiresAtMs]) => expiresAtMs <= nowMs);
            expect([...popped].sort()).toEqual(due.map(([key]) => key).sort());
            const expiries = popped.map((key) => entries.find(([k]) => k === key)?.[1] ?? -1);
            expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
            remaining = remaining.filter(([, expiresAtMs]) => expiresAtMs > nowMs);
            expect(queue.size).toBe(remaining.length);
          }
        },
      ),
    );
  });
});

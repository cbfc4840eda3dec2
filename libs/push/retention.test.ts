import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { retentionFloor } from './retention.js';

describe(retentionFloor.name, () => {
  it('should keep whatever is held, and always the recent window', () => {
    expect(retentionFloor({ head: 1_000, minRetain: 100, maxRetain: 10_000, held: 500 })).toEqual({ floor: 500, capped: false });
    expect(retentionFloor({ head: 1_000, minRetain: 100, maxRetain: 10_000, held: 950 })).toEqual({ floor: 900, capped: false });
    expect(retentionFloor({ head: 1_000, minRetain: 100, maxRetain: 10_000, held: undefined })).toEqual({ floor: 900, capped: false });
  });

  it('should cut at the hard cap and say so', () => {
    expect(retentionFloor({ head: 1_000, minRetain: 10, maxRetain: 200, held: 100 })).toEqual({ floor: 800, capped: true });
  });

  it('should never keep more than the cap nor drop anything held within it', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(1_000), fc.integer({ min: 1, max: 5_000 }), fc.option(fc.nat(100_000)), (head, minRetain, maxRetain, heldRaw) => {
        const held = heldRaw === null ? undefined : Math.min(heldRaw, head);
        const { floor, capped } = retentionFloor({ head, minRetain, maxRetain, held });
        expect(head - floor).toBeLessThanOrEqual(Math.max(maxRetain, 0));
        if (held !== undefined && head - held <= maxRetain) expect(floor).toBeLessThanOrEqual(held);
        if (!capped) expect(floor).toBeLessThanOrEqual(Math.max(0, head - minRetain));
      }),
    );
  });
});

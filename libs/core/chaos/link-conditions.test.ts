import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GOOD_LINK, type LinkConditions, deliveryTime } from './link-conditions.js';

const RTO = { minMs: 200, maxMs: 400 };
const conditions = fc.record({
  delayMs: fc.integer({ min: 0, max: 500 }),
  jitterMs: fc.integer({ min: 0, max: 500 }),
  lossRate: fc.double({ min: 0, max: 1, noNaN: true }),
});
/** A stream of chunks: each read some ms after the one before, with the random draws the link makes for it. */
const chunks = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 300 }), draws: fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 3, maxLength: 3 }) }), { minLength: 1, maxLength: 50 });

const schedule = (link: LinkConditions, stream: readonly { gapMs: number; draws: number[] }[]) => {
  let now = 0;
  let previous = 0;
  return stream.map(({ gapMs, draws }) => {
    now += gapMs;
    let i = 0;
    const timed = deliveryTime(now, previous, link, RTO, () => draws[i++ % draws.length] as number);
    previous = timed.dueAt;
    return { readAt: now, ...timed };
  });
};

describe(deliveryTime.name, () => {
  it('should deliver at once on a good link', () => {
    expect(deliveryTime(1_000, 0, GOOD_LINK, RTO, () => 0.5)).toEqual({ dueAt: 1_000, lost: false });
  });

  it('should never deliver a chunk before the one ahead of it, nor before it was read', () => {
    fc.assert(
      fc.property(conditions, chunks, (link, stream) => {
        const timed = schedule(link, stream);
        timed.forEach((t, i) => {
          expect(t.dueAt).toBeGreaterThanOrEqual(t.readAt);
          if (i > 0) expect(t.dueAt).toBeGreaterThanOrEqual((timed[i - 1] as { dueAt: number }).dueAt);
        });
      }),
    );
  });

  it('should keep every chunk within delay ± jitter, plus a retransmission timeout when lost, unless the one ahead holds it up', () => {
    fc.assert(
      fc.property(conditions, chunks, (link, stream) => {
        schedule(link, stream).forEach((t, i, all) => {
          const aheadDueAt = i > 0 ? (all[i - 1] as { dueAt: number }).dueAt : 0;
          const retransmit = t.lost ? RTO : { minMs: 0, maxMs: 0 };
          const earliest = t.readAt + Math.max(0, link.delayMs - link.jitterMs) + retransmit.minMs;
          const latest = t.readAt + link.delayMs + link.jitterMs + retransmit.maxMs;
          expect(t.dueAt).toBeGreaterThanOrEqual(earliest);
          expect(t.dueAt).toBeLessThanOrEqual(Math.max(latest, aheadDueAt));
        });
      }),
    );
  });

  it('should lose about the share of chunks it is told to', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const lost = Array.from({ length: 10_000 }, () => deliveryTime(0, 0, { delayMs: 0, jitterMs: 0, lossRate: 0.05 }, RTO, random).lost).filter(Boolean).length;
    expect(lost).toBeGreaterThan(400);
    expect(lost).toBeLessThan(600);
  });
});

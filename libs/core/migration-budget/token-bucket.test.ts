import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type BucketLevel, type BucketRate, largestTake, refill, takeFromAll, takeTokens, waitForTokens } from './token-bucket.js';

const EPSILON = 1e-6;

const rateArb = fc.record({ perSecond: fc.double({ min: 0.5, max: 5_000, noNaN: true }), burst: fc.integer({ min: 1, max: 500 }) });

/** Requests as workers send them: a time step (possibly backwards: skewed clocks) and a count within the burst. */
const requestsArb = (rate: BucketRate) =>
  fc.array(fc.record({ stepMs: fc.integer({ min: -200, max: 2_000 }), count: fc.integer({ min: 1, max: rate.burst }) }), { maxLength: 200 });

/** Runs the requests against one bucket; the grants, at the clock of the worker that asked. */
const grantsOf = (rate: BucketRate, requests: readonly { stepMs: number; count: number }[]): { at: number; count: number }[] => {
  let level: BucketLevel | undefined;
  let clock = 1_000_000;
  const grants: { at: number; count: number }[] = [];
  for (const { stepMs, count } of requests) {
    clock += stepMs;
    const outcome = takeTokens(level, rate, count, clock);
    level = outcome.level;
    if (outcome.granted) grants.push({ at: clock, count });
  }
  return grants;
};

describe(takeTokens.name, () => {
  it('should never grant more than rate × window + burst in any window', () => {
    fc.assert(
      fc.property(
        rateArb.chain((rate) => fc.tuple(fc.constant(rate), requestsArb(rate), fc.integer({ min: 1, max: 5_000 }))),
        ([rate, requests, windowMs]) => {
          // Monotonic clocks here: the bound is about real time, which a single clock measures.
          const grants = grantsOf(rate, requests.map((r) => ({ ...r, stepMs: Math.abs(r.stepMs) })));
          for (const start of grants) {
            const inWindow = grants.filter((g) => g.at >= start.at && g.at <= start.at + windowMs).reduce((n, g) => n + g.count, 0);
            expect(inWindow).toBeLessThanOrEqual((rate.perSecond * windowMs) / 1_000 + rate.burst + EPSILON);
          }
        },
      ),
    );
  });

  it('should never grant more than burst plus what the furthest clock has seen accrue, whatever the clocks do', () => {
    fc.assert(
      fc.property(rateArb.chain((rate) => fc.tuple(fc.constant(rate), requestsArb(rate))), ([rate, requests]) => {
        // The bucket is born full at its first take's clock, which may already be behind the start.
        let clock = 1_000_000 + (requests[0]?.stepMs ?? 0);
        const born = clock;
        let furthest = clock;
        for (const { stepMs } of requests.slice(1)) furthest = Math.max(furthest, (clock += stepMs));
        const granted = grantsOf(rate, requests).reduce((n, g) => n + g.count, 0);
        expect(granted).toBeLessThanOrEqual(rate.burst + ((furthest - born) * rate.perSecond) / 1_000 + EPSILON);
      }),
    );
  });

  it('should grant a refused take once its wait has passed, if nobody else took', () => {
    fc.assert(
      fc.property(rateArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 500 }), (rate, fill, wanted) => {
        const count = Math.min(wanted, rate.burst);
        const level = { tokens: fill * rate.burst, at: 0 };
        const first = takeTokens(level, rate, count, 0);
        if (first.granted) return;
        expect(first.waitMs).toBe(waitForTokens(level, rate, count));
        expect(takeTokens(first.level, rate, count, first.waitMs).granted).toBe(true);
        if (first.waitMs > 1) expect(takeTokens(first.level, rate, count, first.waitMs - 1).granted).toBe(false);
      }),
    );
  });

  it('should start a bucket never seen full', () => {
    const rate = { perSecond: 10, burst: 5 };
    expect(takeTokens(undefined, rate, 5, 0)).toEqual({ granted: true, level: { tokens: 0, at: 0 } });
    expect(takeTokens({ tokens: 0, at: 0 }, rate, 1, 50)).toEqual({ granted: false, level: { tokens: 0.5, at: 50 }, waitMs: 50 });
  });

  it('should refuse takes it could never grant, naming the cause', () => {
    expect(() => takeTokens(undefined, { perSecond: 10, burst: 5 }, 6, 0)).toThrow(/burst 5/);
    expect(() => takeTokens(undefined, { perSecond: 10, burst: 5 }, 0, 0)).toThrow(/whole positive/);
    expect(() => takeTokens(undefined, { perSecond: 0, burst: 5 }, 1, 0)).toThrow(/perSecond > 0/);
  });
});

describe(refill.name, () => {
  it('should neither exceed the burst nor move its clock back', () => {
    fc.assert(
      fc.property(rateArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -10_000, max: 10_000 }), (rate, fill, stepMs) => {
        const level = { tokens: fill * rate.burst, at: 50_000 };
        const after = refill(level, rate, 50_000 + stepMs);
        expect(after.tokens).toBeLessThanOrEqual(rate.burst);
        expect(after.tokens).toBeGreaterThanOrEqual(level.tokens);
        expect(after.at).toBe(Math.max(50_000, 50_000 + stepMs));
      }),
    );
  });
});

describe(takeFromAll.name, () => {
  it('should take from every bucket or from none, and wait for the slowest', () => {
    const rates = [{ perSecond: 100, burst: 50 }, { perSecond: 10, burst: 20 }];
    expect(takeFromAll([{ tokens: 50, at: 0 }, { tokens: 5, at: 0 }], rates, 10, 0)).toEqual({ granted: false, waitMs: 500 });
    expect(takeFromAll([{ tokens: 50, at: 0 }, { tokens: 5, at: 0 }], rates, 10, 500)).toEqual({ granted: true, levels: [{ tokens: 40, at: 500 }, { tokens: 0, at: 500 }] });
  });
});

describe(largestTake.name, () => {
  it('should ask no bucket for more than its burst, and at least one token', () => {
    fc.assert(
      fc.property(fc.array(rateArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 10_000 }), (rates, count) => {
        const take = largestTake(rates, count);
        expect(take).toBeGreaterThanOrEqual(1);
        expect(take).toBeLessThanOrEqual(count);
        for (const rate of rates) expect(take).toBeLessThanOrEqual(rate.burst);
      }),
    );
  });
});

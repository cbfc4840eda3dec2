import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SLOTS, dueSlots, stepDueMs, tickGridOf } from './tick-slots.js';

describe(tickGridOf.name, () => {
  it('should cut the default 100 ms interval into 20 slots of 5 ms', () => {
    expect(tickGridOf(100)).toEqual({ slots: 20, slotMs: 5 });
  });

  it('should keep one slot for an interval too short to cut', () => {
    expect(tickGridOf(3)).toEqual({ slots: 1, slotMs: 3 });
  });

  it('should always cover the whole interval exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600_000 }), (intervalMs) => {
        const grid = tickGridOf(intervalMs);
        expect(grid.slots).toBeGreaterThanOrEqual(1);
        expect(grid.slots).toBeLessThanOrEqual(MAX_SLOTS);
        expect(grid.slots * grid.slotMs).toBeCloseTo(intervalMs, 6);
      }),
    );
  });
});

describe(dueSlots.name, () => {
  const grid = tickGridOf(100);

  it('should run nothing before the next step is due', () => {
    expect(dueSlots(grid, 3, stepDueMs(grid, 3) - 1)).toEqual({ run: [], nextStep: 3 });
  });

  it('should run the due slot on time', () => {
    expect(dueSlots(grid, 3, stepDueMs(grid, 3))).toEqual({ run: [3], nextStep: 4 });
  });

  it('should catch up on the slots a late turn passed, wrapping round the interval', () => {
    expect(dueSlots(grid, 18, stepDueMs(grid, 21) + 1)).toEqual({ run: [18, 19, 0, 1], nextStep: 22 });
  });

  it('should run every slot exactly once after a stall longer than the interval', () => {
    const due = dueSlots(grid, 5, 10_000);
    expect([...due.run].sort((a, b) => a - b)).toEqual(Array.from({ length: grid.slots }, (_, i) => i));
    expect(due.nextStep).toBe(10_000 / grid.slotMs + 1);
  });

  it('should keep each slot to its own grid times, at most once each, however late the turns fall', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.array(fc.double({ min: 0, max: 250, noNaN: true }), { maxLength: 200 }), (intervalMs, gaps) => {
        const g = tickGridOf(intervalMs);
        let step = 0;
        let elapsed = 0;
        const lastStep = new Map<number, number>();
        for (const gap of gaps) {
          elapsed += gap;
          const due = dueSlots(g, step, elapsed);
          due.run.forEach((slot, i) => {
            const ranFor = due.nextStep - due.run.length + i;
            expect(ranFor % g.slots).toBe(slot);
            expect(stepDueMs(g, ranFor)).toBeLessThanOrEqual(elapsed + 1e-9);
            // Never twice for one interval: the same slot's previous run was a whole interval of steps earlier.
            expect(ranFor - (lastStep.get(slot) ?? -g.slots)).toBeGreaterThanOrEqual(g.slots);
            lastStep.set(slot, ranFor);
          });
          expect(stepDueMs(g, due.nextStep)).toBeGreaterThan(elapsed - 1e-9);
          step = due.nextStep;
        }
      }),
    );
  });
});

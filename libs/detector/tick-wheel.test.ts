import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { TickWheel } from './tick-wheel.js';

describe(TickWheel.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const wheelOf = (intervalMs: number): TickWheel => new TickWheel(intervalMs, () => Date.now());

  // Slot 0 is due the moment the grid starts, so a window of 999 ms holds ten ticks of every slot.
  it('should tick every gateway once per interval, spread evenly over it', () => {
    const wheel = wheelOf(100);
    const ranAt: number[][] = Array.from({ length: 40 }, () => []);
    ranAt.forEach((times) => wheel.join(() => times.push(Date.now())));
    const start = Date.now();
    jest.advanceTimersByTime(999);
    wheel.stop();
    for (const times of ranAt) {
      expect(times).toHaveLength(10);
      // Exactly one interval apart: the grid does not drift.
      times.slice(1).forEach((t, i) => expect(t - (times[i] as number)).toBe(100));
    }
    // 40 gateways over 20 slots: two per 5 ms, never all at once.
    const perSlot = new Map<number, number>();
    for (const times of ranAt) perSlot.set(((times[0] as number) - start) % 100, (perSlot.get(((times[0] as number) - start) % 100) ?? 0) + 1);
    expect(perSlot.size).toBe(20);
    expect(Math.max(...perSlot.values())).toBe(2);
  });

  it('should stop ticking a gateway that left', () => {
    const wheel = wheelOf(100);
    let ticks = 0;
    const leave = wheel.join(() => (ticks += 1));
    jest.advanceTimersByTime(299);
    leave();
    jest.advanceTimersByTime(300);
    wheel.stop();
    expect(ticks).toBe(3);
  });

  it('should keep every gateway at the new pace when the interval changes', () => {
    const wheel = wheelOf(100);
    let ticks = 0;
    wheel.join(() => (ticks += 1));
    jest.advanceTimersByTime(999);
    wheel.setIntervalMs(50);
    jest.advanceTimersByTime(999);
    wheel.stop();
    expect(ticks).toBe(30);
  });
});

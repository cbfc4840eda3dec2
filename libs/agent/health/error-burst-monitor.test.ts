import { describe, expect, it } from '@jest/globals';
import { ErrorBurstMonitor } from './error-burst-monitor.js';

describe(ErrorBurstMonitor.name, () => {
  it('should report a burst once, and again only after the rate fell back', () => {
    const monitor = new ErrorBurstMonitor({ count: 5, windowMs: 1_000 });
    expect(monitor.sample(0, 0)).toBeUndefined();
    expect(monitor.sample(3, 100)).toBeUndefined();
    expect(monitor.sample(6, 200)).toEqual({ errors: 6, windowMs: 1_000 });
    expect(monitor.sample(9, 300)).toBeUndefined();
    expect(monitor.sample(9, 1_400)).toBeUndefined();
    expect(monitor.sample(9, 2_500)).toBeUndefined();
    expect(monitor.sample(20, 2_600)).toEqual({ errors: 11, windowMs: 1_000 });
  });

  it('should not count errors older than the window', () => {
    const monitor = new ErrorBurstMonitor({ count: 5, windowMs: 1_000 });
    for (let t = 0, total = 0; t < 10_000; t += 250, total += 1) expect(monitor.sample(total, t)).toBeUndefined();
  });
});

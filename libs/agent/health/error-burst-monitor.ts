export interface ErrorBurstPolicy {
  /** This many errors… */
  readonly count: number;
  /** …within this window make a burst. */
  readonly windowMs: number;
}

/**
 * Turns a cumulative error counter into bursts: one report when the errors in
 * the last window reach the threshold, and none again until the rate has fallen
 * back below it (so a long burst is one report, not a flood).
 */
export class ErrorBurstMonitor {
  private readonly samples: { readonly at: number; readonly total: number }[] = [];
  private inBurst = false;

  constructor(private readonly policy: ErrorBurstPolicy) {}

  sample(total: number, now: number): { readonly errors: number; readonly windowMs: number } | undefined {
    this.samples.push({ at: now, total });
    while (this.samples.length > 1 && (this.samples[1] as { at: number }).at <= now - this.policy.windowMs) this.samples.shift();
    const inWindow = total - (this.samples[0]?.total ?? total);
    if (inWindow < this.policy.count) {
      this.inBurst = false;
      return undefined;
    }
    if (this.inBurst) return undefined;
    this.inBurst = true;
    return { errors: inWindow, windowMs: this.policy.windowMs };
  }
}

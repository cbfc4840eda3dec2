export interface RetryBackoffSettings {
  readonly initialMs: number;
  readonly maxMs: number;
}

const DEFAULTS: RetryBackoffSettings = { initialMs: 100, maxMs: 2_000 };

/**
 * Exponential backoff with jitter between half and all of the ceiling, so a fleet that lost
 * etcd at the same moment does not come back as one wave.
 */
export class RetryBackoff {
  private readonly settings: RetryBackoffSettings;
  private failures = 0;

  constructor(
    settings: Partial<RetryBackoffSettings> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  next(): number {
    const ceiling = Math.min(this.settings.maxMs, this.settings.initialMs * 2 ** this.failures);
    this.failures += 1;
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  reset(): void {
    this.failures = 0;
  }
}

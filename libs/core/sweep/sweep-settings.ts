/**
 * What a sweep run may be told. Everything is optional so a schedule can pass `{}` and
 * pick up the current defaults when they change, instead of freezing old values into
 * the schedule's stored arguments.
 */
export interface HealthSweepInput {
  /** How often gateways publish vitals (ms). */
  readonly vitalsIntervalMs?: number;
  /** Vitals older than this many publish intervals mean the gateway's heartbeat is lost. */
  readonly staleAfterIntervals?: number;
}

export interface SweepSettings {
  readonly vitalsIntervalMs: number;
  readonly staleAfterIntervals: number;
}

/**
 * `vitalsIntervalMs` matches the gateways' default VITALS_INTERVAL_MS. Ten silent intervals,
 * not two or three: a sweep only runs every 30 s, so waiting longer costs little, while a
 * gateway that is merely starved for a few seconds (a loaded host) must not be remediated.
 */
export const DEFAULT_SWEEP_SETTINGS: SweepSettings = Object.freeze({ vitalsIntervalMs: 1_000, staleAfterIntervals: 10 });

export class InvalidSweepInputError extends Error {
  override readonly name = 'InvalidSweepInputError';
}

/** Fills in defaults and rejects nonsense, naming the field, so a bad schedule fails loudly. */
export const sweepSettingsFrom = (input: HealthSweepInput = {}): SweepSettings => {
  const settings = { ...DEFAULT_SWEEP_SETTINGS, ...definedOnly(input) };
  for (const [field, value] of Object.entries(settings)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new InvalidSweepInputError(`${field} must be a positive number, got ${JSON.stringify(value)}`);
    }
  }
  return settings;
};

/** The age (ms) beyond which vitals are stale. */
export const staleAfterMs = (settings: SweepSettings): number => settings.vitalsIntervalMs * settings.staleAfterIntervals;

const definedOnly = (input: HealthSweepInput): Partial<SweepSettings> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

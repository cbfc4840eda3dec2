import { type SweepSettings, staleAfterMs } from './sweep-settings.js';

export interface VitalsFreshness {
  /** How old the vitals were when read; 0 if the publisher's clock is ahead of ours. */
  readonly ageMs: number;
  /** Publishing intervals that passed without new vitals (the first interval is normal). */
  readonly missedPublishes: number;
  /** Older than the stale limit: the gateway holds its lease but stopped reporting. */
  readonly heartbeatLost: boolean;
}

export const vitalsFreshness = (publishedAt: number, readAt: number, settings: SweepSettings): VitalsFreshness => {
  const ageMs = Math.max(0, readAt - publishedAt);
  return {
    ageMs,
    missedPublishes: Math.max(0, Math.floor(ageMs / settings.vitalsIntervalMs) - 1),
    heartbeatLost: ageMs > staleAfterMs(settings),
  };
};

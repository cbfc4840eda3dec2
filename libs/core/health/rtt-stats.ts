export const mean = (samples: readonly number[]): number | null =>
  samples.length === 0 ? null : samples.reduce((sum, x) => sum + x, 0) / samples.length;

/** Population standard deviation: the window is all we judge, not a sample of something larger. */
export const standardDeviation = (samples: readonly number[]): number | null => {
  const m = mean(samples);
  if (m === null) return null;
  return Math.sqrt(samples.reduce((sum, x) => sum + (x - m) ** 2, 0) / samples.length);
};

/** Below a microsecond no clock tells round trips apart; finer differences are float noise. */
export const RTT_RESOLUTION_MS = 0.001;

/**
 * Below this mean RTT, variation is judged against this instead: on a LAN or loopback round
 * trips are tenths of a millisecond, and a 0.1 ms wobble on 0.2 ms is scheduling noise no
 * push client can feel, not instability worth points off the score.
 */
export const RTT_JITTER_FLOOR_MS = 1;

/**
 * stddev / max(mean, floor): jitter relative to the RTT level, so a far-away gateway is not
 * called unstable, and relative to at least {@link RTT_JITTER_FLOOR_MS}, so a very near one is
 * not either. Samples are floored at the clock's resolution and, for the arithmetic, divided
 * by their largest so squaring never overflows.
 */
export const coefficientOfVariation = (samples: readonly number[], floorMs = RTT_JITTER_FLOOR_MS): number | null => {
  const floored = samples.map((x) => Math.max(x, RTT_RESOLUTION_MS));
  const largest = floored.reduce((max, x) => (x > max ? x : max), 0);
  if (!(largest > 0) || !Number.isFinite(largest)) return null;
  const scaled = floored.map((x) => x / largest);
  const m = mean(scaled);
  const sd = standardDeviation(scaled);
  return m === null || sd === null || m <= 0 ? null : sd / Math.max(m, floorMs / largest);
};

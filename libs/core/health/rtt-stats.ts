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
 * stddev/mean: jitter relative to the RTT level, so a far-away gateway is not called
 * unstable. Samples are floored at the clock's resolution, and, since the ratio does not
 * depend on scale, divided by their largest so squaring never overflows.
 */
export const coefficientOfVariation = (samples: readonly number[]): number | null => {
  const floored = samples.map((x) => Math.max(x, RTT_RESOLUTION_MS));
  const largest = floored.reduce((max, x) => (x > max ? x : max), 0);
  if (!(largest > 0) || !Number.isFinite(largest)) return null;
  const scaled = floored.map((x) => x / largest);
  const m = mean(scaled);
  const sd = standardDeviation(scaled);
  return m === null || sd === null || m <= 0 ? null : sd / m;
};

export const mean = (samples: readonly number[]): number | null =>
  samples.length === 0 ? null : samples.reduce((sum, x) => sum + x, 0) / samples.length;

/** Population standard deviation: the window is all we judge, not a sample of something larger. */
export const standardDeviation = (samples: readonly number[]): number | null => {
  const m = mean(samples);
  if (m === null) return null;
  return Math.sqrt(samples.reduce((sum, x) => sum + (x - m) ** 2, 0) / samples.length);
};

/** stddev/mean: jitter relative to the RTT level, so a far-away gateway is not called unstable. */
export const coefficientOfVariation = (samples: readonly number[]): number | null => {
  const m = mean(samples);
  const sd = standardDeviation(samples);
  return m === null || sd === null || m <= 0 ? null : sd / m;
};

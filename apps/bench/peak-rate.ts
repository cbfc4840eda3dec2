/** The most events in any window of `windowMs` (sliding, both ends included): a peak rate per window. */
export const peakInWindow = (times: readonly number[], windowMs: number): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! > windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
};

/**
 * Splits `total` whole units in proportion to `weights` by the largest-remainder method, so
 * every share is within one unit of its exact quota and no share exceeds its weight when
 * `total ≤ sum(weights)`. Integer arithmetic throughout: no float drift, same answer on replay.
 * Ties in remainder go to the earlier weight, so callers control tie-breaking by ordering.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (weightSum === 0 || total === 0) return weights.map(() => 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / weightSum));
  const remainders = weights.map((weight, index) => ({ index, remainder: (total * weight) % weightSum }));
  const leftover = total - shares.reduce((sum, share) => sum + share, 0);
  const byLargestRemainder = remainders
    .filter(({ remainder }) => remainder > 0)
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byLargestRemainder.slice(0, leftover)) shares[index] = (shares[index] ?? 0) + 1;
  return shares;
}

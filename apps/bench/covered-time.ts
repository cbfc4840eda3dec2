export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** How much of the time line the intervals cover, overlaps counted once (a round's batches run side by side). */
export const covered = (intervals: readonly Interval[]): number => {
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const { from, to } of [...intervals].sort((a, b) => a.from - b.from)) {
    if (to <= reach) continue;
    total += to - Math.max(from, reach);
    reach = to;
  }
  return total;
};

/**
 * Smooth weighted round-robin: returns a sequence of owner indices in which owner `i` occurs
 * exactly `counts[i]` times, spread evenly (nginx's algorithm; every prefix stays within a
 * unit or two of each owner's proportional share). Cutting the sequence into batches
 * then gives every batch roughly the overall mix, so no target receives its whole share at once.
 */
export function interleave(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const credit = counts.map(() => 0);
  const sequence: number[] = [];
  for (let step = 0; step < total; step++) {
    let chosen = -1;
    let chosenCredit = Number.NEGATIVE_INFINITY;
    counts.forEach((count, index) => {
      const updated = (credit[index] ?? 0) + count;
      credit[index] = updated;
      if (count > 0 && updated > chosenCredit) {
        chosen = index;
        chosenCredit = updated;
      }
    });
    credit[chosen] = chosenCredit - total;
    sequence.push(chosen);
  }
  return sequence;
}

export interface Levels {
  /** Connection counts, adjusted in place. */
  readonly counts: number[];
  readonly capacities: readonly number[];
}

const utilisation = (levels: Levels, index: number): number =>
  (levels.counts[index] ?? 0) / (levels.capacities[index] ?? 1);

function pick(levels: Levels, canMove: (index: number) => boolean, better: (a: number, b: number) => boolean): number {
  let chosen = -1;
  for (let index = 0; index < levels.counts.length; index++) {
    if (!canMove(index)) continue;
    if (chosen === -1 || better(utilisation(levels, index), utilisation(levels, chosen))) chosen = index;
  }
  return chosen;
}

/**
 * Takes `amount` units away one at a time, always from the most utilised gateway still above
 * its floor, so the result is as level as the floors allow. Ties go to the earlier index.
 * Returns the units that could not be taken because every gateway sat on its floor.
 */
export function lowerMostUtilised(levels: Levels, floors: readonly number[], amount: number): number {
  let remaining = amount;
  for (; remaining > 0; remaining--) {
    const index = pick(levels, (i) => (levels.counts[i] ?? 0) > (floors[i] ?? 0), (a, b) => a > b);
    if (index === -1) break;
    levels.counts[index] = (levels.counts[index] ?? 0) - 1;
  }
  return remaining;
}

/** Mirror of `lowerMostUtilised`: adds units to the least utilised gateway still below its ceiling. */
export function raiseLeastUtilised(levels: Levels, ceilings: readonly number[], amount: number): number {
  let remaining = amount;
  for (; remaining > 0; remaining--) {
    const index = pick(levels, (i) => (levels.counts[i] ?? 0) < (ceilings[i] ?? 0), (a, b) => a < b);
    if (index === -1) break;
    levels.counts[index] = (levels.counts[index] ?? 0) + 1;
  }
  return remaining;
}

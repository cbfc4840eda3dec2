/** 0 at or below `warn`, 1 at or above `critical`, linear in between. */
export const linearPenalty = (value: number, warn: number, critical: number): number => {
  // Samples so extreme that the arithmetic overflowed (∞/∞) are judged as bad as it gets.
  if (Number.isNaN(value)) return 1;
  if (value <= warn) return 0;
  if (value >= critical) return 1;
  return (value - warn) / (critical - warn);
};

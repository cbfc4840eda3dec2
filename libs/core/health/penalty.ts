/** 0 at or below `warn`, 1 at or above `critical`, linear in between. */
export const linearPenalty = (value: number, warn: number, critical: number): number => {
  if (value <= warn) return 0;
  if (value >= critical) return 1;
  return (value - warn) / (critical - warn);
};

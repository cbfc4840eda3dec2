/** For values the planner's own arithmetic guarantees; a failure here is a bug in the planner, not bad input. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`rebalance planner invariant broken: ${what}`);
  return value;
}

/**
 * One detector pings thousands of gateways every `pingIntervalMs`. With a timer per gateway,
 * the ticks drift into step (a late event loop runs every overdue timer in one pass and
 * re-arms them all from the same moment), until every gateway is pinged and judged in one
 * burst that a crash report then waits behind. Instead the interval is cut into slots, each
 * gateway keeps to one slot, and slot `step` is due at `step × slotMs` on a fixed grid: the
 * work stays spread over the interval, and nothing drifts however late a turn runs.
 */
export interface TickGrid {
  readonly slots: number;
  readonly slotMs: number;
}

/** Slots no shorter than this: a timer per millisecond buys nothing but wake-ups. */
export const MIN_SLOT_MS = 2;
/** Enough slots that each is a small share of the fleet's work. */
export const MAX_SLOTS = 20;

export const tickGridOf = (intervalMs: number): TickGrid => {
  const slots = Math.max(1, Math.min(MAX_SLOTS, Math.floor(intervalMs / MIN_SLOT_MS)));
  return { slots, slotMs: intervalMs / slots };
};

export interface DueSlots {
  /** Slot indexes to run now, each at most once: a stall longer than an interval ticks every gateway once, not once per missed interval. */
  readonly run: readonly number[];
  /** The first step not yet run. */
  readonly nextStep: number;
}

/** Which slots are due at `elapsedMs` (since the grid's origin) when `step` is the first not yet run. */
export const dueSlots = (grid: TickGrid, step: number, elapsedMs: number): DueSlots => {
  const nextStep = Math.max(step, Math.floor(elapsedMs / grid.slotMs) + 1);
  const count = Math.min(nextStep - step, grid.slots);
  const run = Array.from({ length: count }, (_, i) => (nextStep - count + i) % grid.slots);
  return { run, nextStep };
};

/** When (since the origin) step `step` is due. */
export const stepDueMs = (grid: TickGrid, step: number): number => step * grid.slotMs;

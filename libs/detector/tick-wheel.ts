import { type TickGrid, dueSlots, stepDueMs, tickGridOf } from '#core';

type Tick = () => void;

/**
 * Runs every watched gateway's tick once per ping interval on one timer, the gateways spread
 * evenly over the interval's slots (see `tickGridOf` in libs/core for why).
 */
export class TickWheel {
  private grid: TickGrid;
  private slots: Set<Tick>[];
  private readonly slotOf = new Map<Tick, Set<Tick>>();
  private originMs = 0;
  private step = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    intervalMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.grid = tickGridOf(intervalMs);
    this.slots = this.emptySlots();
    this.originMs = this.clock();
  }

  /** Ticks `tick` every interval from now on, in the emptiest slot; returns how to stop it. */
  join(tick: Tick): () => void {
    this.leave(tick);
    const slot = this.slots.reduce((emptiest, s) => (s.size < emptiest.size ? s : emptiest));
    slot.add(tick);
    this.slotOf.set(tick, slot);
    if (this.timer === undefined) this.arm();
    return () => this.leave(tick);
  }

  /** A new ping interval: the grid starts over now, every tick kept (spread afresh). */
  setIntervalMs(intervalMs: number): void {
    const ticks = [...this.slotOf.keys()];
    this.stop();
    this.grid = tickGridOf(intervalMs);
    this.slots = this.emptySlots();
    this.originMs = this.clock();
    this.step = 0;
    for (const tick of ticks) this.join(tick);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.slotOf.clear();
    for (const slot of this.slots) slot.clear();
  }

  private leave(tick: Tick): void {
    this.slotOf.get(tick)?.delete(tick);
    this.slotOf.delete(tick);
  }

  private emptySlots(): Set<Tick>[] {
    return Array.from({ length: this.grid.slots }, () => new Set<Tick>());
  }

  private turn(): void {
    this.timer = undefined;
    const due = dueSlots(this.grid, this.step, this.clock() - this.originMs);
    this.step = due.nextStep;
    // A copy: a tick may make its gateway leave (or another join) while its slot runs.
    for (const index of due.run) for (const tick of [...(this.slots[index] ?? [])]) tick();
    if (this.timer === undefined) this.arm();
  }

  /** Sleeps until the next slot that has ticks in it; nothing is armed while none has. */
  private arm(): void {
    if (this.slotOf.size === 0) return;
    let step = this.step;
    while ((this.slots[step % this.grid.slots]?.size ?? 0) === 0) step += 1;
    const waitMs = Math.max(0, this.originMs + stepDueMs(this.grid, step) - this.clock());
    this.timer = setTimeout(() => this.turn(), waitMs);
  }
}

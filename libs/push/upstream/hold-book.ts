/**
 * The holds on one topic at the publisher: each connected gateway's lowest needed
 * sequence, plus the holds of gateways that went away. A gateway that vanishes
 * (SIGKILL) cannot say its sessions have moved; its last hold is kept for a grace
 * period so those sessions can resume elsewhere from what they last received.
 */
export class HoldBook {
  private readonly live = new Map<object, number>();
  private orphans: { readonly seq: number; readonly until: number }[] = [];

  set(holder: object, seq: number): void {
    this.live.set(holder, seq);
  }

  /** The holder left; its hold stays until `now + graceMs`. */
  release(holder: object, now: number, graceMs: number): void {
    const seq = this.live.get(holder);
    this.live.delete(holder);
    if (seq !== undefined && graceMs > 0) this.orphans.push({ seq, until: now + graceMs });
  }

  /** Lowest held sequence, or undefined when nothing is held. */
  lowest(now: number): number | undefined {
    this.orphans = this.orphans.filter((o) => o.until > now);
    let low: number | undefined;
    for (const seq of this.live.values()) low = low === undefined ? seq : Math.min(low, seq);
    for (const { seq } of this.orphans) low = low === undefined ? seq : Math.min(low, seq);
    return low;
  }
}

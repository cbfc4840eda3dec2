/**
 * What a client application actually received on one topic, checked against a
 * gap-free sequence. Tests and the bench read these counters; the application
 * sees each message once, in order.
 */
export class DeliveryLedger {
  /** Last sequence handed to the application; -1 before the first. */
  last = -1;
  received = 0;
  /** Messages that never arrived (skipped sequences and server-declared gaps). */
  lost = 0;
  /** The part of `lost` a gateway declared gone with a `gap` frame: explicit, never silent. */
  declaredLost = 0;
  /** Arrived again after the application already had them: dropped. */
  duplicates = 0;
  /** Arrived after a later sequence: dropped, since delivering them would reorder. */
  reorders = 0;
  private readonly missing = new Set<number>();

  /** Returns whether the message goes to the application. */
  accept(seq: number): boolean {
    if (this.last === -1 || seq === this.last + 1) return this.deliver(seq);
    if (seq > this.last + 1) {
      for (let s = this.last + 1; s < seq && this.missing.size < 100_000; s++) this.missing.add(s);
      this.lost += seq - this.last - 1;
      return this.deliver(seq);
    }
    if (this.missing.delete(seq)) this.reorders += 1;
    else this.duplicates += 1;
    return false;
  }

  /** The server says `from`..`to` can no longer be delivered. */
  declareGap(from: number, to: number): void {
    if (to <= this.last) return;
    const count = to - Math.max(from, this.last + 1) + 1;
    this.lost += count;
    this.declaredLost += count;
    this.last = to;
  }

  private deliver(seq: number): true {
    this.last = seq;
    this.received += 1;
    return true;
  }
}

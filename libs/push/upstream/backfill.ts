import { type RetainedLog } from '../retained-log.js';
import { type WireMessage } from '../wire-message.js';

interface PendingFetch {
  readonly from: number;
  readonly to: number;
  block: WireMessage[];
}

/**
 * Fetches from upstream what a session needs below the local log's tail, e.g. a
 * session that arrives from a crashed gateway further behind than this gateway
 * keeps. Fetches go out lowest-first-last and come back in order, so each reply
 * is a block that ends exactly where the log (or the previous block) begins.
 */
export class Backfill {
  private readonly pending: PendingFetch[] = [];

  constructor(
    private readonly log: RetainedLog<WireMessage>,
    private readonly send: (from: number, to: number) => void,
    private readonly onLanded: () => void,
  ) {}

  /** Lowest sequence asked for and not landed yet: the log must not be trimmed under it. */
  get floor(): number | undefined {
    return this.pending.at(-1)?.from;
  }

  request(from: number): void {
    const lowest = this.floor ?? this.log.oldest;
    if (from >= lowest) return;
    this.pending.push({ from, to: lowest, block: [] });
    this.send(from, lowest);
  }

  /** A message below the log's tail: part of the oldest outstanding reply. */
  receive(message: WireMessage): void {
    const current = this.pending[0];
    if (!current || message.seq < current.from || message.seq >= current.to) return;
    current.block.push(message);
    if (message.seq === current.to - 1) this.land();
  }

  /** Upstream says `from`..`to` of a reply is gone; the reply is complete if that was all of it. */
  receiveGap(to: number): void {
    const current = this.pending[0];
    if (current && to === current.to - 1) this.land();
  }

  /** After an upstream reconnect the replies in flight are lost: ask again. */
  resend(): void {
    for (const fetch of this.pending) {
      fetch.block = [];
      this.send(fetch.from, fetch.to);
    }
  }

  private land(): void {
    const fetch = this.pending.shift();
    // A block that no longer fits (the hard cap trimmed the log meanwhile) is dropped: the gap is declared instead.
    if (fetch && fetch.block.length > 0) this.log.prepend(fetch.block);
    this.onLanded();
  }
}

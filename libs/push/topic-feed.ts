import { RetainedLog } from './retained-log.js';
import { retentionFloor } from './retention.js';
import { Backfill } from './upstream/backfill.js';
import { type DeliveryGate } from './delivery-gate.js';
import { type WireMessage } from './wire-message.js';

export interface FeedListener {
  /** Send what is owed on this feed, up to (not including) `upTo`. */
  pump(feed: TopicFeed, upTo: number): void;
  /** Lowest sequence on this feed the session may still need sent again (undefined: nothing old). */
  needOn(topic: string): number | undefined;
}

export interface FeedRetention {
  /** Recent messages always kept locally (cheap resumes for sessions arriving from elsewhere). */
  readonly minRetain: number;
  /** Hard cap: past it, sessions that far behind get an explicit gap. */
  readonly maxRetain: number;
  /** How long a departed session's hold outlives it, so its next gateway can still fetch what it needs. */
  readonly releaseHoldMs: number;
}

/**
 * One topic as this gateway sees it: the upstream's stream in a local log, the
 * sessions reading it, and what they still need — which is what this gateway
 * holds at the upstream and what it may trim locally.
 */
export class TopicFeed {
  readonly log = new RetainedLog<WireMessage>();
  readonly listeners = new Set<FeedListener>();
  /** Upstream has nothing below this any more (it said so with a gap, or the hard cap dropped it here). */
  lostBelow = 0;
  /** The upstream has told us where its live stream stands. */
  synced = false;
  private lingering: { readonly seq: number; readonly until: number }[] = [];
  private readonly backfill: Backfill;

  constructor(
    readonly topic: string,
    private readonly retention: FeedRetention,
    private readonly gate: DeliveryGate,
    fetch: (topic: string, from: number, to: number) => void,
  ) {
    this.backfill = new Backfill(this.log, (from, to) => fetch(topic, from, to), () => this.notify(this.log.head));
  }

  onMessage(message: WireMessage): void {
    if (this.log.started && message.seq < this.log.oldest) {
      this.backfill.receive(message);
      return;
    }
    if (!this.log.append(message)) return; // already held (a replay overlapping what we have)
    const upTo = this.log.head;
    this.gate.later(() => this.notify(upTo));
  }

  /** Upstream no longer has `from`..`to`. */
  onGap(from: number, to: number): void {
    this.lostBelow = Math.max(this.lostBelow, to + 1);
    if (this.log.started && from >= this.log.head) {
      this.log.jumpTo(to + 1); // the live stream itself skipped: a hole sessions are told about
      this.notify(this.log.head);
    } else if (this.log.started && to < this.log.oldest) {
      this.backfill.receiveGap(to);
    }
  }

  onSynced(head: number): void {
    this.log.startAt(head);
    this.synced = true;
    this.notify(this.log.head);
  }

  onUpstreamReconnected(): void {
    this.backfill.resend();
  }

  requestBackfill(from: number): void {
    this.backfill.request(from);
  }

  /** A session left: keep what it needed for a while, in case it resumes on another gateway. */
  linger(seq: number, now: number): void {
    if (this.retention.releaseHoldMs > 0) this.lingering.push({ seq, until: now + this.retention.releaseHoldMs });
  }

  /** Lowest sequence anyone here may still need; the head when nobody needs anything old. */
  hold(now: number): number {
    this.lingering = this.lingering.filter((l) => l.until > now);
    let low = this.log.head;
    for (const listener of this.listeners) {
      const need = listener.needOn(this.topic);
      if (need !== undefined && need < low) low = need;
    }
    for (const { seq } of this.lingering) low = Math.min(low, seq);
    const fetching = this.backfill.floor;
    return fetching === undefined ? low : Math.min(low, fetching);
  }

  /** Drops what nobody holds (`held`, from `hold`) but the recent window; past the hard cap, declares it lost. */
  trim(held: number): void {
    if (!this.log.started) return;
    const { floor, capped } = retentionFloor({ head: this.log.head, ...this.retention, held });
    this.log.trimBelow(floor);
    if (capped) this.lostBelow = Math.max(this.lostBelow, floor);
  }

  private notify(upTo: number): void {
    for (const listener of this.listeners) listener.pump(this, upTo);
  }
}

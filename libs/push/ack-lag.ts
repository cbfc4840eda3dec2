/** Messages sent within this span share one checkpoint: ages are known to this resolution (ms). */
const BUCKET_MS = 100;
/** Past this many checkpoints the two oldest merge, so a client that never acks costs bounded memory. */
const MAX_CHECKPOINTS = 128;

interface Checkpoint {
  /** Highest seq sent in this bucket. */
  lastSeq: number;
  /** Bytes sent on the topic up to and including `lastSeq`. */
  bytesThrough: number;
  /** When the bucket's first message was handed to the socket. */
  readonly firstSentAt: number;
}

/**
 * What one topic of one session has been sent but not acknowledged: the
 * gateway's measure of what the client actually received. Sends are grouped
 * into 100 ms checkpoints, so memory is bounded and an ack costs O(1) amortised;
 * ages and byte counts err on the side of "more unacknowledged" by at most one
 * checkpoint.
 */
export class AckLag {
  private readonly checkpoints: Checkpoint[] = [];
  private bytesSent = 0;
  private bytesAcked = 0;

  sent(seq: number, bytes: number, now: number): void {
    this.bytesSent += bytes;
    const last = this.checkpoints.at(-1);
    if (last && now - last.firstSentAt < BUCKET_MS) {
      last.lastSeq = seq;
      last.bytesThrough = this.bytesSent;
      return;
    }
    this.checkpoints.push({ lastSeq: seq, bytesThrough: this.bytesSent, firstSentAt: now });
    if (this.checkpoints.length > MAX_CHECKPOINTS) {
      const [oldest, next] = this.checkpoints.splice(0, 2) as [Checkpoint, Checkpoint];
      this.checkpoints.unshift({ lastSeq: next.lastSeq, bytesThrough: next.bytesThrough, firstSentAt: oldest.firstSentAt });
    }
  }

  /** The client has everything up to `seq`: checkpoints it covers entirely are settled. */
  acked(seq: number): void {
    let settled = 0;
    while (settled < this.checkpoints.length && (this.checkpoints[settled] as Checkpoint).lastSeq <= seq) settled += 1;
    if (settled === 0) return;
    this.bytesAcked = (this.checkpoints[settled - 1] as Checkpoint).bytesThrough;
    this.checkpoints.splice(0, settled);
  }

  get unackedBytes(): number {
    return this.bytesSent - this.bytesAcked;
  }

  /** When the oldest unacknowledged message was sent (ms since epoch), if any is. */
  get oldestUnackedAt(): number | undefined {
    return this.checkpoints[0]?.firstSentAt;
  }
}

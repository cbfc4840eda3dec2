import { type MessageFrame } from '#core';

/**
 * The last `capacity` messages of one topic, addressable by sequence number.
 * This is the replay window: a session that resumes from a sequence still in it
 * loses nothing.
 */
export class RetainedLog {
  private readonly ring: (MessageFrame | undefined)[];
  /** Sequence number of the next message to append. */
  private next = 0;
  private firstSeq = 0;
  private started = false;

  constructor(private readonly capacity: number) {
    this.ring = new Array<MessageFrame | undefined>(capacity);
  }

  /** Oldest sequence still held (meaningful only when not empty). */
  get oldest(): number {
    return Math.max(this.firstSeq, this.next - this.capacity);
  }

  /** Sequence the next appended message will carry. */
  get head(): number {
    return this.next;
  }

  get empty(): boolean {
    return !this.started;
  }

  /**
   * Appends `message`; a log fed from upstream may start mid-stream, and a
   * message older than the head (a duplicate from a replay) is ignored.
   */
  append(message: MessageFrame): boolean {
    if (!this.started) {
      this.started = true;
      this.firstSeq = message.seq;
      this.next = message.seq;
    }
    if (message.seq !== this.next) return false;
    this.ring[message.seq % this.capacity] = message;
    this.next = message.seq + 1;
    return true;
  }

  get(seq: number): MessageFrame | undefined {
    if (this.empty || seq < this.oldest || seq >= this.next) return undefined;
    return this.ring[seq % this.capacity];
  }
}

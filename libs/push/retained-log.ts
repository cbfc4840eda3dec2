/** Anything kept in a log is addressed by its sequence number. */
export interface Sequenced {
  readonly seq: number;
}

/** A contiguous run of items: `items[start]` carries `base`. */
interface Segment<T> {
  base: number;
  items: T[];
  start: number;
}

const length = <T>(segment: Segment<T>): number => segment.items.length - segment.start;
const end = <T>(segment: Segment<T>): number => segment.base + length(segment);

/** Drop consumed slots now and then so trimming stays O(1) amortised without unbounded arrays. */
const COMPACT_AFTER = 4096;

/**
 * Messages of one topic addressable by sequence number, from `oldest` up to (not
 * including) `head`. It grows at the head, is trimmed at the tail by the retention
 * rules (see retention.ts), can be back-filled below its tail with a contiguous block
 * fetched from upstream, and can jump forward over a range upstream says is gone —
 * that range stays a known hole (`holeAt`), so it is reported to clients as a gap
 * rather than silently skipped.
 */
export class RetainedLog<T extends Sequenced> {
  /** Usually one; a jump starts a new one, leaving a hole between two segments. */
  private segments: Segment<T>[] = [];

  /** Whether the log knows where the stream stands (it has a head). */
  get started(): boolean {
    return this.segments.length > 0;
  }

  /** Oldest sequence held; equals `head` when nothing is held. Meaningful once started. */
  get oldest(): number {
    const first = this.segments[0];
    return first ? first.base : 0;
  }

  /** Sequence the next appended item must carry. */
  get head(): number {
    const last = this.segments.at(-1);
    return last ? end(last) : 0;
  }

  /** Items held (holes excluded). */
  get size(): number {
    return this.segments.reduce((n, s) => n + length(s), 0);
  }

  /** Sets the head of an empty, unstarted log: the first append must carry `seq`. */
  startAt(seq: number): void {
    if (!this.started) this.segments.push({ base: seq, items: [], start: 0 });
  }

  /** Appends at the head. The first item starts the log; any other out-of-sequence item is refused. */
  append(item: T): boolean {
    if (!this.started) this.startAt(item.seq);
    const last = this.segments.at(-1) as Segment<T>;
    if (item.seq !== end(last)) return false;
    last.items.push(item);
    return true;
  }

  get(seq: number): T | undefined {
    for (const segment of this.segments) {
      if (seq < segment.base) return undefined;
      if (seq < end(segment)) return segment.items[segment.start + seq - segment.base];
    }
    return undefined;
  }

  /** The range `seq` falls in when it is inside a hole left by `jumpTo`, else undefined. */
  holeAt(seq: number): { from: number; to: number } | undefined {
    for (let i = 1; i < this.segments.length; i++) {
      const before = this.segments[i - 1] as Segment<T>;
      const after = this.segments[i] as Segment<T>;
      if (seq >= end(before) && seq < after.base) return { from: end(before), to: after.base - 1 };
    }
    return undefined;
  }

  /** Moves the head forward to `seq` over a range that will never arrive. */
  jumpTo(seq: number): void {
    if (!this.started || seq <= this.head) return;
    const last = this.segments.at(-1) as Segment<T>;
    if (length(last) === 0 && this.segments.length === 1) last.base = seq;
    else this.segments.push({ base: seq, items: [], start: 0 });
  }

  /** Forgets everything below `seq` (never past the head); returns how many items went. */
  trimBelow(seq: number): number {
    const limit = Math.min(seq, this.head);
    let dropped = 0;
    while (this.segments.length > 0) {
      const first = this.segments[0] as Segment<T>;
      if (first.base >= limit) break;
      const cut = Math.min(limit, end(first)) - first.base;
      first.start += cut;
      first.base += cut;
      dropped += cut;
      if (length(first) === 0 && this.segments.length > 1) {
        this.segments.shift();
        continue;
      }
      if (first.start > COMPACT_AFTER && first.start * 2 > first.items.length) {
        first.items = first.items.slice(first.start);
        first.start = 0;
      }
      break;
    }
    return dropped;
  }

  /** Adds a contiguous block that ends right below `oldest` (a back-fill from upstream). */
  prepend(block: readonly T[]): boolean {
    const first = this.segments[0];
    const lastOfBlock = block.at(-1);
    if (!first || !lastOfBlock || lastOfBlock.seq !== first.base - 1) return false;
    if (block.some((item, i) => item.seq !== lastOfBlock.seq - (block.length - 1) + i)) return false;
    first.items = [...block, ...first.items.slice(first.start)];
    first.start = 0;
    first.base = (block[0] as T).seq;
    return true;
  }
}

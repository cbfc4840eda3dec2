import { PolicyValidationError } from '#core';
import { CorruptRecordError } from '#etcd';
import { type Logger } from '#runtime';

/** The etcd records the detector follows (or, for observer views, reads); each kind is counted on its own. */
export type WatchedRecord = 'registration' | 'vitals' | 'policy' | 'flag' | 'observer-view';

/**
 * A malformed record in a watch is input gone wrong, not a reason to stop watching: it is
 * logged with its key and counted, and the watch carries on with the next event.
 * Other watch errors (a cancelled watch, etcd unreachable) are logged, not counted.
 */
export class CorruptRecordCounter {
  private readonly counts = new Map<WatchedRecord, number>();

  constructor(private readonly log: Logger) {}

  /** Per kind, how many unusable records were seen since start. */
  get snapshot(): Readonly<Partial<Record<WatchedRecord, number>>> {
    return Object.fromEntries(this.counts);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** A handler for one watch's errors. */
  handler(record: WatchedRecord): (error: Error) => void {
    return (error) => this.report(record, error);
  }

  report(record: WatchedRecord, error: Error): void {
    if (!isCorrupt(error)) {
      this.log.warn({ event: 'watch-error', record, err: error }, `${record} watch error`);
      return;
    }
    const count = (this.counts.get(record) ?? 0) + 1;
    this.counts.set(record, count);
    this.log.warn({ event: 'corrupt-record', record, count, err: error }, `unusable ${record} record ignored`);
  }
}

/** A stored value that does not parse, as opposed to etcd itself failing. */
const isCorrupt = (error: Error): boolean => error instanceof CorruptRecordError || error instanceof PolicyValidationError;

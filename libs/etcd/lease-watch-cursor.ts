import { type Etcd3 } from 'etcd3';
import { CorruptRecordError } from './json-value.js';
import { GATEWAYS_PREFIX, LEASE_WATCH_CURSOR_KEY } from './keys.js';

/** An etcd revision is an int64: at most 19 digits. */
const REVISION = /^[1-9]\d{0,18}$/;

/**
 * How far the lease watcher has read the registry (the revision of the last fleet event it
 * handled). The worker leader saves it as it goes; the next leader watches on from there, so a
 * lease that lapsed while no leader watched (the handover after a SIGKILL takes a leader TTL)
 * is still seen. Events the old leader handled after its last save are seen twice, which the
 * watcher's own checks make harmless (a run joins by workflow id, an answering agent is left be).
 */
export class LeaseWatchCursor {
  constructor(private readonly etcd: Etcd3) {}

  /**
   * Where a new leader's watch starts: after the revision saved last, while etcd still has the
   * history since (not compacted away, not restored from a backup below it); else after now.
   */
  async startingPoint(onCorrupt: (error: CorruptRecordError) => void): Promise<{ readonly after: string; readonly resumed: boolean }> {
    const { header, kvs } = await this.etcd.get(LEASE_WATCH_CURSOR_KEY).exec();
    const now = { after: header.revision, resumed: false };
    const saved = kvs[0]?.value.toString();
    if (saved === undefined) return now;
    if (!REVISION.test(saved)) {
      onCorrupt(new CorruptRecordError(LEASE_WATCH_CURSOR_KEY, 'not a revision'));
      return now;
    }
    return (await this.historyKeptSince(saved)) ? { after: saved, resumed: true } : now;
  }

  async save(revision: string): Promise<void> {
    await this.etcd.put(LEASE_WATCH_CURSOR_KEY).value(revision);
  }

  private historyKeptSince(revision: string): Promise<boolean> {
    return this.etcd
      .get(GATEWAYS_PREFIX)
      .revision(revision)
      .exec()
      .then(
        () => true,
        (error: Error) => {
          if (/compacted|future revision/.test(error.message)) return false;
          throw error;
        },
      );
  }
}

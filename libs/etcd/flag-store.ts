import { type Etcd3 } from 'etcd3';
import { type ChangeAuthor, type FlagRecord, FlagRecordSchema } from '#core';
import { AuditLog } from './audit-log.js';
import { ContentionError } from './compare-and-swap.js';
import { FLAGS_PREFIX, flagKey, idFromKey } from './keys.js';
import { parseRecord } from './json-value.js';

export interface NamedFlag extends FlagRecord {
  readonly name: string;
}

/** Degrade switches at `/homeostat/flags/<name>`: operators flip them, processes watch them. */
/** Two operators flipping one switch at once: the later re-reads, so its audit record names the true previous value. */
const SET_ATTEMPTS = 5;

export class FlagStore {
  private readonly audit: AuditLog;

  constructor(private readonly etcd: Etcd3) {
    this.audit = new AuditLog(etcd);
  }

  async get(name: string): Promise<NamedFlag | undefined> {
    const key = flagKey(name);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : { name, ...parseRecord(FlagRecordSchema, key, raw) };
  }

  /** Without `onCorrupt` an unreadable record throws; with it, the flag is reported there and left out. */
  async list(onCorrupt?: (error: Error) => void): Promise<NamedFlag[]> {
    const all = await this.etcd.getAll().prefix(FLAGS_PREFIX).strings();
    const flags: NamedFlag[] = [];
    for (const [key, raw] of Object.entries(all)) {
      try {
        flags.push({ name: idFromKey(FLAGS_PREFIX, key), ...parseRecord(FlagRecordSchema, key, raw) });
      } catch (error) {
        if (!onCorrupt) throw error;
        onCorrupt(error as Error);
      }
    }
    return flags.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Sets a flag and, in the same transaction, records who did it in the audit trail
   * (with the value it had before): a compare-and-swap on the flag's revision.
   */
  async set(name: string, flag: { enabled: boolean; reason?: string }, author: ChangeAuthor): Promise<NamedFlag> {
    const key = flagKey(name);
    const record: FlagRecord = { enabled: flag.enabled, ...(flag.reason ? { reason: flag.reason } : {}), updatedAt: author.at, updatedBy: author.by };
    for (let attempt = 0; attempt < SET_ATTEMPTS; attempt++) {
      const kv = (await this.etcd.get(key).exec()).kvs[0];
      const previous = kv ? parseRecord(FlagRecordSchema, key, kv.value.toString()).enabled : null;
      const audit = this.audit.put({ ...author, action: 'flag.set', target: `flag/${name}`, detail: { enabled: flag.enabled, previous, reason: flag.reason ?? null } });
      const result = await this.etcd
        .if(key, 'Mod', '==', kv ? kv.mod_revision : '0')
        .then(this.etcd.put(key).value(JSON.stringify(record)), audit)
        .commit();
      if (result.succeeded) return { name, ...record };
    }
    throw new ContentionError(key, SET_ATTEMPTS);
  }

  /**
   * Calls `listener` with every flag now and after each change (a deleted flag is off).
   * A record that does not parse goes to `onError` and the flag keeps its last value.
   */
  async watch(listener: (flags: ReadonlyMap<string, NamedFlag>) => void, onError: (error: Error) => void): Promise<() => Promise<void>> {
    const flags = new Map<string, NamedFlag>();
    const watcher = await this.etcd.watch().prefix(FLAGS_PREFIX).create();
    watcher.on('put', (kv) => {
      const key = kv.key.toString();
      try {
        flags.set(idFromKey(FLAGS_PREFIX, key), { name: idFromKey(FLAGS_PREFIX, key), ...parseRecord(FlagRecordSchema, key, kv.value.toString()) });
        listener(new Map(flags));
      } catch (error) {
        onError(error as Error);
      }
    });
    watcher.on('delete', (kv) => {
      flags.delete(idFromKey(FLAGS_PREFIX, kv.key.toString()));
      listener(new Map(flags));
    });
    watcher.on('error', onError);
    for (const flag of await this.list(onError)) if (!flags.has(flag.name)) flags.set(flag.name, flag);
    listener(new Map(flags));
    return () => watcher.cancel();
  }
}

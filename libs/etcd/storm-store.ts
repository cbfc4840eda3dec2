import { type Etcd3 } from 'etcd3';
import { type z } from 'zod';
import { type ChangeAuthor, MAX_STORM_RECORD_BYTES, type StormLift, StormLiftSchema, type StormState, StormStateSchema } from '#core';
import { AuditLog } from './audit-log.js';
import { ContentionError, changeByRevision } from './compare-and-swap.js';
import { CorruptRecordError, parseRecord } from './json-value.js';
import { STORM_KEY, STORM_LIFTED_KEY } from './keys.js';

export interface StormRecords {
  /** The storm on now, if any. */
  readonly storm: StormState | null;
  /** The last lift, if any: suspects from before it do not begin a storm again. */
  readonly lift: StormLift | null;
}

/** A lift races only with suspects being added: a few tries are plenty. */
const LIFT_ATTEMPTS = 10;

const bounded = <S extends z.ZodType>(schema: S, key: string, raw: string | undefined): z.infer<S> | null => {
  if (raw === undefined) return null;
  if (Buffer.byteLength(raw) > MAX_STORM_RECORD_BYTES) throw new CorruptRecordError(key, `over ${MAX_STORM_RECORD_BYTES} bytes`);
  return parseRecord(schema, key, raw);
};

/**
 * `/homeostat/storm` and `/homeostat/storm-lifted`. Any detector may begin a storm (the first
 * one's record wins: a create-if-absent transaction), keep its suspects current, or lift it
 * after its quiet period; an admin may lift it through the API. Not under a lease: a storm
 * outlives the detector that saw it begin.
 */
export class StormStore {
  private readonly audit: AuditLog;

  constructor(private readonly etcd: Etcd3) {
    this.audit = new AuditLog(etcd);
  }

  async read(): Promise<StormRecords> {
    const [storm, lift] = await Promise.all([this.etcd.get(STORM_KEY).string(), this.etcd.get(STORM_LIFTED_KEY).string()]);
    return { storm: bounded(StormStateSchema, STORM_KEY, storm ?? undefined), lift: bounded(StormLiftSchema, STORM_LIFTED_KEY, lift ?? undefined) };
  }

  /** True when this call began the storm; false when one was on already (it stays as it is). */
  async begin(storm: StormState): Promise<boolean> {
    const result = await this.etcd.if(STORM_KEY, 'Create', '==', 0).then(this.etcd.put(STORM_KEY).value(JSON.stringify(storm))).commit();
    return result.succeeded;
  }

  /** Newer suspects for the storm that began at `storm.sinceMs`; nothing when that storm is over. */
  update(storm: StormState): Promise<void> {
    return changeByRevision(this.etcd, STORM_KEY, StormStateSchema, (current) => ({
      ...(current?.sinceMs === storm.sinceMs ? { write: { ...storm, lastSuspectAtMs: Math.max(storm.lastSuspectAtMs, current.lastSuspectAtMs) } } : {}),
      result: undefined,
    }));
  }

  /**
   * Ends the storm (only the one that began at `sinceMs`, when given) and records who lifted it,
   * in one transaction. Returns the storm lifted, or null when none was on (nothing is written).
   */
  async lift(lift: StormLift, sinceMs?: number, author?: ChangeAuthor): Promise<StormState | null> {
    for (let attempt = 0; attempt < LIFT_ATTEMPTS; attempt++) {
      const kv = (await this.etcd.get(STORM_KEY).exec()).kvs[0];
      const current = bounded(StormStateSchema, STORM_KEY, kv?.value.toString());
      if (!kv || !current || (sinceMs !== undefined && current.sinceMs !== sinceMs)) return null;
      const result = await this.etcd
        .if(STORM_KEY, 'Mod', '==', kv.mod_revision)
        .then(
          this.etcd.delete().key(STORM_KEY),
          this.etcd.put(STORM_LIFTED_KEY).value(JSON.stringify(lift)),
          // An admin's lift is in the audit trail, in the same transaction as the lift itself.
          ...(author ? [this.audit.put({ ...author, action: 'storm.lift', target: `storm/${current.scope}`, detail: { since: new Date(current.sinceMs).toISOString(), reason: lift.reason } })] : []),
        )
        .commit();
      if (result.succeeded) return current;
    }
    throw new ContentionError(STORM_KEY, LIFT_ATTEMPTS);
  }
}

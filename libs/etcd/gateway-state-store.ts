import { type Etcd3 } from 'etcd3';
import { type GatewayStateName, type GatewayStateRecord, GatewayStateRecordSchema } from '#core';
import { STATE_PREFIX, idFromKey, stateKey } from './keys.js';
import { changeByRevision } from './compare-and-swap.js';
import { parseRecord } from './json-value.js';

/** A state record with the etcd revision that wrote it (absent: the key does not exist). */
export interface StateAtRevision {
  readonly record: GatewayStateRecord | undefined;
  /** The key's mod revision, or the store's revision at the read when the key is absent. */
  readonly revision: bigint;
}

/** Each gateway's routing state at `/homeostat/state/<id>`; it outlives the gateway's lease. */
export class GatewayStateStore {
  constructor(private readonly etcd: Etcd3) {}

  async get(gatewayId: string): Promise<GatewayStateRecord | undefined> {
    const key = stateKey(gatewayId);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : parseRecord(GatewayStateRecordSchema, key, raw);
  }

  /** The record with its revision, so a follower can tell a fresh read from an older watch event. */
  async read(gatewayId: string): Promise<StateAtRevision> {
    const key = stateKey(gatewayId);
    const response = await this.etcd.get(key).exec();
    const kv = response.kvs[0];
    if (!kv) return { record: undefined, revision: BigInt(response.header.revision) };
    return { record: parseRecord(GatewayStateRecordSchema, key, kv.value.toString()), revision: BigInt(kv.mod_revision) };
  }

  /**
   * Follows one gateway's state: the current record first, then every change, each with its
   * revision. A record that does not parse goes to `onError` and the watch goes on.
   */
  async follow(gatewayId: string, listener: (state: StateAtRevision) => void, onError: (error: Error) => void): Promise<() => Promise<void>> {
    const key = stateKey(gatewayId);
    const watcher = await this.etcd.watch().key(key).create();
    watcher.on('put', (kv) => {
      try {
        listener({ record: parseRecord(GatewayStateRecordSchema, key, kv.value.toString()), revision: BigInt(kv.mod_revision) });
      } catch (error) {
        onError(error as Error);
      }
    });
    watcher.on('delete', (kv) => listener({ record: undefined, revision: BigInt(kv.mod_revision) }));
    watcher.on('error', onError);
    // Read after the watch exists, so a change between the two is never missed.
    await this.read(gatewayId).then(listener, onError);
    return () => watcher.cancel();
  }

  async list(): Promise<Map<string, GatewayStateRecord>> {
    const all = await this.etcd.getAll().prefix(STATE_PREFIX).strings();
    return new Map(Object.entries(all).map(([key, raw]) => [idFromKey(STATE_PREFIX, key), parseRecord(GatewayStateRecordSchema, key, raw)]));
  }

  async set(gatewayId: string, record: GatewayStateRecord): Promise<void> {
    await this.etcd.put(stateKey(gatewayId)).value(JSON.stringify(record));
  }

  /**
   * Moves a gateway to `state` unless it is already there, keeping the original
   * `since`: retried activities call this and must not rewrite history. A
   * compare-and-swap on the key's revision, so two writers never overwrite each
   * other unseen. Returns the record it replaced, so callers need not read it first.
   */
  transition(
    gatewayId: string,
    state: GatewayStateName,
    by: string,
    now: number,
    reason?: string,
    extra: Pick<GatewayStateRecord, 'controlUrl' | 'inRotation'> = {},
  ): Promise<GatewayStateRecord | undefined> {
    return changeByRevision(this.etcd, stateKey(gatewayId), GatewayStateRecordSchema, (previous) => {
      if (previous?.state === state) return { write: undefined, result: previous };
      // The last known control address outlives every transition: it is how a lapsed gateway is still asked.
      const controlUrl = extra.controlUrl ?? previous?.controlUrl;
      const inRotation = state === 'needs-human' ? extra.inRotation : undefined;
      const write: GatewayStateRecord = {
        state,
        since: now,
        by,
        ...(reason ? { reason } : {}),
        ...(controlUrl ? { controlUrl } : {}),
        ...(inRotation === undefined ? {} : { inRotation }),
      };
      return { write, result: previous };
    });
  }

  /** Writes `serving` only if the gateway has no state yet (a first registration). */
  async initialise(gatewayId: string, now: number, controlUrl?: string): Promise<void> {
    const record: GatewayStateRecord = { state: 'serving', since: now, by: 'agent', ...(controlUrl ? { controlUrl } : {}) };
    await this.etcd
      .if(stateKey(gatewayId), 'Create', '==', 0)
      .then(this.etcd.put(stateKey(gatewayId)).value(JSON.stringify(record)))
      .commit();
  }
}

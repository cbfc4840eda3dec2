import { type Etcd3 } from 'etcd3';
import { type GatewayStateName, type GatewayStateRecord, GatewayStateRecordSchema } from '#core';
import { STATE_PREFIX, idFromKey, stateKey } from './keys.js';
import { changeByRevision } from './compare-and-swap.js';
import { parseRecord } from './json-value.js';

/** Each gateway's routing state at `/homeostat/state/<id>`; it outlives the gateway's lease. */
export class GatewayStateStore {
  constructor(private readonly etcd: Etcd3) {}

  async get(gatewayId: string): Promise<GatewayStateRecord | undefined> {
    const key = stateKey(gatewayId);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : parseRecord(GatewayStateRecordSchema, key, raw);
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
  transition(gatewayId: string, state: GatewayStateName, by: string, now: number, reason?: string): Promise<GatewayStateRecord | undefined> {
    return changeByRevision(this.etcd, stateKey(gatewayId), GatewayStateRecordSchema, (previous) => ({
      write: previous?.state === state ? undefined : { state, since: now, by, ...(reason ? { reason } : {}) },
      result: previous,
    }));
  }

  /** Writes `serving` only if the gateway has no state yet (a first registration). */
  async initialise(gatewayId: string, now: number): Promise<void> {
    const record: GatewayStateRecord = { state: 'serving', since: now, by: 'agent' };
    await this.etcd
      .if(stateKey(gatewayId), 'Create', '==', 0)
      .then(this.etcd.put(stateKey(gatewayId)).value(JSON.stringify(record)))
      .commit();
  }
}

import { type Etcd3 } from 'etcd3';
import { type GatewayStateName, type GatewayStateRecord, GatewayStateRecordSchema } from '#core';
import { STATE_PREFIX, idFromKey, stateKey } from './keys.js';
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
   * `since`: retried activities call this and must not rewrite history. Returns
   * the record it found, so callers need not read it first.
   */
  async transition(gatewayId: string, state: GatewayStateName, by: string, now: number, reason?: string): Promise<GatewayStateRecord | undefined> {
    const previous = await this.get(gatewayId);
    if (previous?.state === state) return previous;
    await this.set(gatewayId, { state, since: now, by, ...(reason ? { reason } : {}) });
    return previous;
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

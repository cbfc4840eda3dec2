import { type Etcd3 } from 'etcd3';
import { type RttLevel, RttLevelSchema } from '#core';
import { rttLevelKey } from './keys.js';
import { parseRecord } from './json-value.js';

/**
 * `/homeostat/rtt-levels/<id>`: the latest RTT level a detector measured for each gateway
 * (not under a lease: the record carries its time, and readers ignore stale ones).
 */
export class RttLevelStore {
  constructor(private readonly etcd: Etcd3) {}

  async publish(level: RttLevel): Promise<void> {
    await this.etcd.put(rttLevelKey(level.gatewayId)).value(JSON.stringify(level));
  }

  /** The gateway's level, or undefined when there is none or it does not parse (a bad record is no evidence). */
  async get(gatewayId: string): Promise<RttLevel | undefined> {
    const key = rttLevelKey(gatewayId);
    const raw = await this.etcd.get(key).string();
    if (raw === null) return undefined;
    try {
      return parseRecord(RttLevelSchema, key, raw);
    } catch {
      return undefined;
    }
  }

  async forget(gatewayId: string): Promise<void> {
    await this.etcd.delete().key(rttLevelKey(gatewayId));
  }
}

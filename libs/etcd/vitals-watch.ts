import { type Etcd3 } from 'etcd3';
import { type GatewayVitals, GatewayVitalsSchema } from '#core';
import { VITALS_PREFIX, idFromKey } from './keys.js';
import { parseRecord } from './json-value.js';

export interface VitalsListener {
  readonly onVitals: (vitals: GatewayVitals) => void;
  /** The gateway's lease ended (or its vitals were withdrawn). */
  readonly onGone: (gatewayId: string) => void;
  /** A record that does not parse; the previous vitals of that gateway stay in use. */
  readonly onError: (error: Error) => void;
}

/**
 * Follows every gateway's published vitals at `/homeostat/vitals/<id>`: the current ones
 * first, then each update. The returned function stops watching.
 */
export const watchVitals = async (etcd: Etcd3, listener: VitalsListener): Promise<() => Promise<void>> => {
  const watcher = await etcd.watch().prefix(VITALS_PREFIX).create();
  const deliver = (key: string, raw: string): void => {
    try {
      listener.onVitals(parseRecord(GatewayVitalsSchema, key, raw));
    } catch (error) {
      listener.onError(error as Error);
    }
  };
  watcher.on('put', (kv) => deliver(kv.key.toString(), kv.value.toString()));
  watcher.on('delete', (kv) => listener.onGone(idFromKey(VITALS_PREFIX, kv.key.toString())));
  watcher.on('error', listener.onError);
  const current = await etcd.getAll().prefix(VITALS_PREFIX).strings();
  for (const [key, raw] of Object.entries(current)) deliver(key, raw);
  return () => watcher.cancel();
};

import { type Etcd3, type Lease, type Watcher } from 'etcd3';
import { type GatewayRegistration, GatewayRegistrationSchema, type GatewayVitals } from '#core';
import { GATEWAYS_PREFIX, gatewayKey, idFromKey, stateKey, vitalsKey } from './keys.js';
import { parseRecord } from './json-value.js';

export type FleetEvent =
  | { readonly kind: 'registered'; readonly gateway: GatewayRegistration }
  /** Deregistered on purpose (graceful shutdown): not a failure. */
  | { readonly kind: 'left'; readonly gatewayId: string }
  /** The lease ran out: the gateway stopped renewing it, i.e. it died or hung. */
  | { readonly kind: 'vanished'; readonly gatewayId: string; readonly last?: GatewayRegistration };

/** A gateway's registration, alive as long as its lease is renewed. */
export class GatewayLease {
  constructor(
    private readonly etcd: Etcd3,
    private readonly lease: Lease,
    private registration: GatewayRegistration,
  ) {}

  /**
   * Fires when the lease is gone: etcd says so (the process was paused past its TTL, etcd
   * was frozen or restarted past it), or etcd could not be reached for twice the TTL.
   */
  onLost(handler: (error: Error) => void): void {
    this.lease.on('lost', handler);
  }

  /** Fires on every keep-alive etcd acknowledged: the registration is known to be current. */
  onRenewed(handler: () => void): void {
    this.lease.on('keepaliveSucceeded', handler);
  }

  /** Stops renewing without revoking (the lease is already lost, or another one replaces it). */
  release(): void {
    this.lease.release();
  }

  /** Publishes the latest vitals under the same lease, so they vanish together with the registration. */
  async publishVitals(vitals: GatewayVitals): Promise<void> {
    await this.lease.put(vitalsKey(this.registration.id)).value(JSON.stringify(vitals));
  }

  /**
   * Marks the registration as leaving, forgets the gateway's state (it is no
   * longer a fleet member), then revokes the lease: watchers see `left`, not `vanished`.
   */
  async leave(): Promise<void> {
    this.registration = { ...this.registration, leaving: true };
    await this.lease.put(gatewayKey(this.registration.id)).value(JSON.stringify(this.registration));
    await this.etcd.delete().key(stateKey(this.registration.id));
    await this.lease.revoke();
  }
}

/** Which gateways exist, kept under leases at `/homeostat/gateways/<id>`. */
export class FleetRegistry {
  constructor(private readonly etcd: Etcd3) {}

  async register(registration: GatewayRegistration, ttlSeconds: number): Promise<GatewayLease> {
    const lease = this.etcd.lease(ttlSeconds);
    await lease.put(gatewayKey(registration.id)).value(JSON.stringify(registration));
    return new GatewayLease(this.etcd, lease, registration);
  }

  async get(gatewayId: string): Promise<GatewayRegistration | undefined> {
    const key = gatewayKey(gatewayId);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : parseRecord(GatewayRegistrationSchema, key, raw);
  }

  /**
   * Every registration, by id. Without `onCorrupt` an unreadable record throws; with it, the
   * record is reported there and left out (a watcher starting up must not fail on one bad key).
   */
  async list(onCorrupt?: (error: Error) => void): Promise<GatewayRegistration[]> {
    const all = await this.etcd.getAll().prefix(GATEWAYS_PREFIX).strings();
    const parse = onCorrupt
      ? ([key, raw]: [string, string]) => tryParse(key, raw, onCorrupt)
      : ([key, raw]: [string, string]) => parseRecord(GatewayRegistrationSchema, key, raw);
    return Object.entries(all)
      .map(parse)
      .filter((g): g is GatewayRegistration => g !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * Follows joins and leaves; the returned function stops watching. A record that does not
   * parse goes to `onError` (as a CorruptRecordError) and the watch goes on: one bad write
   * must not blind every watcher of the fleet. A deleted key whose last value is unreadable
   * still counts as vanished. With `after` (a revision, see `LeaseWatchCursor`) the watch
   * replays every change since; without, it starts now. The listener gets each event's revision.
   */
  async watch(listener: (event: FleetEvent, revision: string) => void, onError: (error: Error) => void, options: { readonly after?: string } = {}): Promise<() => Promise<void>> {
    const builder = this.etcd.watch().prefix(GATEWAYS_PREFIX).withPreviousKV();
    if (options.after !== undefined) builder.startRevision(String(BigInt(options.after) + 1n));
    const watcher: Watcher = await builder.create();
    watcher.on('put', (kv) => {
      const key = kv.key.toString();
      const gateway = tryParse(key, kv.value.toString(), onError);
      if (gateway && !gateway.leaving) listener({ kind: 'registered', gateway }, kv.mod_revision);
    });
    watcher.on('delete', (kv, previous) => {
      const key = kv.key.toString();
      const gatewayId = idFromKey(GATEWAYS_PREFIX, key);
      const last = previous ? tryParse(key, previous.value.toString(), onError) : undefined;
      listener(last?.leaving ? { kind: 'left', gatewayId } : { kind: 'vanished', gatewayId, ...(last ? { last } : {}) }, kv.mod_revision);
    });
    watcher.on('error', onError);
    return () => watcher.cancel();
  }
}

const tryParse = (key: string, raw: string, onError: (error: Error) => void): GatewayRegistration | undefined => {
  try {
    return parseRecord(GatewayRegistrationSchema, key, raw);
  } catch (error) {
    onError(error as Error);
    return undefined;
  }
};

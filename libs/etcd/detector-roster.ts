import { type Etcd3, type Lease, type Watcher } from 'etcd3';
import { z } from 'zod';
import { type ObserverMember } from '#core';
import { DETECTORS_PREFIX, detectorKey, idFromKey } from './keys.js';
import { parseRecord } from './json-value.js';

/** What a detector publishes under its lease at `/homeostat/detectors/<id>`. */
export const DetectorRecordSchema = z.strictObject({
  id: z.string().min(1).max(128),
  zone: z.string().min(1).max(64),
  startedAt: z.number().int().nonnegative(),
});
export type DetectorRecord = z.infer<typeof DetectorRecordSchema>;

export interface DetectorRosterOptions {
  readonly self: DetectorRecord;
  readonly leaseTtlSeconds: number;
  /**
   * A fresh client for re-registering after the lease was lost: etcd3's circuit breaker
   * fails every call fast for 5 s after 3 failures, so the old client cannot tell etcd is back.
   */
  readonly connect: () => Etcd3;
  readonly onChange: (members: readonly ObserverMember[]) => void;
  readonly onError: (error: Error) => void;
  /** After each registration (the first, and again under a fresh lease): what lived under the old lease is gone. */
  readonly onRegistered?: () => void;
  /** Delay before re-registering a lost lease (ms); grows to 2 s. */
  readonly retryMs?: number;
}

/**
 * The live detectors: this one registered under a lease (renewed by etcd3's keep-alive,
 * registered again under a fresh lease if it is lost), and every other one followed by a
 * watch. Membership is etcd's, not home-made: a detector is a member exactly while its
 * lease lives, so a SIGKILLed one drops out one TTL later.
 */
export class DetectorRoster {
  private readonly members = new Map<string, ObserverMember>();
  private lease: Lease | undefined;
  private leaseClient: Etcd3 | undefined;
  private watcher: Watcher | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private stopped = false;

  constructor(
    private readonly etcd: Etcd3,
    private readonly options: DetectorRosterOptions,
  ) {
    this.retryMs = options.retryMs ?? 100;
  }

  get live(): readonly ObserverMember[] {
    return [...this.members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async start(): Promise<void> {
    // Watch first, then list: a detector joining in between is seen twice, never missed.
    this.watcher = await this.etcd.watch().prefix(DETECTORS_PREFIX).create();
    this.watcher.on('put', (kv) => this.upsert(kv.key.toString(), kv.value.toString()));
    this.watcher.on('delete', (kv) => this.drop(idFromKey(DETECTORS_PREFIX, kv.key.toString())));
    this.watcher.on('error', (error: Error) => this.options.onError(error));
    for (const [key, raw] of Object.entries(await this.etcd.getAll().prefix(DETECTORS_PREFIX).strings())) this.upsert(key, raw, false);
    await this.register(this.etcd);
    this.announce();
  }

  /**
   * Puts a key under this detector's membership lease, so it vanishes with the detector; false
   * while no lease is held (lost, being registered again: `onRegistered` follows).
   */
  async putUnderLease(key: string, value: string): Promise<boolean> {
    const lease = this.lease;
    if (!lease || this.stopped) return false;
    await lease.put(key).value(value);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.watcher?.cancel();
    // Revoking (not letting it lapse) tells the others at once: they take over its gateways now.
    await this.lease?.revoke().catch(() => undefined);
    if (this.leaseClient && this.leaseClient !== this.etcd) this.leaseClient.close();
  }

  private async register(client: Etcd3): Promise<void> {
    const lease = client.lease(this.options.leaseTtlSeconds);
    await lease.put(detectorKey(this.options.self.id)).value(JSON.stringify(this.options.self));
    if (this.stopped) {
      await lease.revoke().catch(() => undefined);
      return;
    }
    lease.on('lost', (error: Error) => this.onLost(lease, error));
    if (this.leaseClient && this.leaseClient !== this.etcd) this.leaseClient.close();
    this.lease = lease;
    this.leaseClient = client;
    this.retryMs = this.options.retryMs ?? 100;
    this.options.onRegistered?.();
  }

  private onLost(lease: Lease, error: Error): void {
    if (this.stopped || lease !== this.lease) return;
    this.options.onError(new Error(`detector lease lost, registering again: ${error.message}`));
    this.lease = undefined;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      const client = this.options.connect();
      this.register(client).catch((error: unknown) => {
        client.close();
        if (this.stopped) return;
        this.options.onError(error instanceof Error ? error : new Error(String(error)));
        this.retryMs = Math.min(2_000, this.retryMs * 2);
        this.scheduleRetry();
      });
    }, this.retryMs);
  }

  private upsert(key: string, raw: string, announce = true): void {
    try {
      const record = parseRecord(DetectorRecordSchema, key, raw);
      const known = this.members.get(record.id);
      if (known?.zone === record.zone) return;
      this.members.set(record.id, { id: record.id, zone: record.zone });
      if (announce) this.announce();
    } catch (error) {
      // A corrupt record is not a member; it never stops the roster.
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private drop(id: string): void {
    if (this.members.delete(id)) this.announce();
  }

  private announce(): void {
    this.options.onChange(this.live);
  }
}

import { Etcd3, type IOptions } from 'etcd3';
import { type EtcdSettings, type EtcdTls, etcdTlsFrom } from './etcd-settings.js';

export interface EtcdClientOptions {
  /**
   * A deadline on every unary call (reads, writes, leases; not watches), so a paused or
   * partitioned etcd fails a call in bounded time instead of hanging the caller.
   */
  readonly callTimeoutMs?: number;
  /** TLS (and a client certificate) for `https://` endpoints. */
  readonly tls?: EtcdTls;
  /**
   * No client-side retries: a call fails after one deadline, not three (etcd3 retries
   * recoverable errors three times by default). For callers that answer someone waiting.
   */
  readonly failFast?: boolean;
}

type GlobalPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** Runs each call once; etcd3 only ever calls `execute` on its global policy. */
const runOnce = { execute: (fn: (context: { signal: AbortSignal }) => unknown) => fn({ signal: new AbortController().signal }) } as unknown as GlobalPolicy;

type WatchBackoff = NonNullable<NonNullable<IOptions['faultHandling']>['watchBackoff']>;

/**
 * How soon a broken watch stream is tried again: doubling from 100 ms, but never more than
 * 1 s apart. etcd3's default grows to 30 s, so after a long etcd outage every watcher
 * (fleet, vitals, state, policy) would stay blind for up to half a minute after etcd is back.
 */
class CappedWatchBackoff implements WatchBackoff {
  constructor(private readonly attempt = 0) {}

  get duration(): number {
    return Math.min(1_000, 100 * 2 ** this.attempt);
  }

  next(): WatchBackoff {
    return new CappedWatchBackoff(this.attempt + 1);
  }
}

/** One client per process; etcd3 multiplexes everything over it. */
export const connectEtcd = (endpoints: readonly string[], { callTimeoutMs, tls, failFast }: EtcdClientOptions = {}): Etcd3 =>
  new Etcd3({
    hosts: [...endpoints],
    dialTimeout: 2_000,
    faultHandling: { watchBackoff: new CappedWatchBackoff(), ...(failFast ? { global: runOnce } : {}) },
    ...(tls ? { credentials: { ...tls } } : {}),
    ...(callTimeoutMs ? { defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }) } : {}),
  });

/** A process's etcd client from its settings (endpoints and, when set, TLS files). */
export const connectEtcdWith = (settings: EtcdSettings, options: Omit<EtcdClientOptions, 'tls'> = {}): Etcd3 =>
  connectEtcd(settings.ETCD_ENDPOINTS, { ...options, tls: etcdTlsFrom(settings) });

import { Etcd3 } from 'etcd3';
import { type EtcdSettings, type EtcdTls, etcdTlsFrom } from './etcd-settings.js';

export interface EtcdClientOptions {
  /**
   * A deadline on every unary call (reads, writes, leases; not watches), so a paused or
   * partitioned etcd fails a call in bounded time instead of hanging the caller.
   */
  readonly callTimeoutMs?: number;
  /** TLS (and a client certificate) for `https://` endpoints. */
  readonly tls?: EtcdTls;
}

/** One client per process; etcd3 multiplexes everything over it. */
export const connectEtcd = (endpoints: readonly string[], { callTimeoutMs, tls }: EtcdClientOptions = {}): Etcd3 =>
  new Etcd3({
    hosts: [...endpoints],
    dialTimeout: 2_000,
    ...(tls ? { credentials: { ...tls } } : {}),
    ...(callTimeoutMs ? { defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }) } : {}),
  });

/** A process's etcd client from its settings (endpoints and, when set, TLS files). */
export const connectEtcdWith = (settings: EtcdSettings, options: Omit<EtcdClientOptions, 'tls'> = {}): Etcd3 =>
  connectEtcd(settings.ETCD_ENDPOINTS, { ...options, tls: etcdTlsFrom(settings) });

import { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  /**
   * A deadline on every unary call (reads, writes, leases; not watches), so a paused or
   * partitioned etcd fails a call in bounded time instead of hanging the caller.
   */
  readonly callTimeoutMs?: number;
}

/** One client per process; etcd3 multiplexes everything over it. */
export const connectEtcd = (endpoints: readonly string[], { callTimeoutMs }: EtcdClientOptions = {}): Etcd3 =>
  new Etcd3({
    hosts: [...endpoints],
    dialTimeout: 2_000,
    ...(callTimeoutMs ? { defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }) } : {}),
  });

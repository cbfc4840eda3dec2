import { Etcd3 } from 'etcd3';

/** One client per process; etcd3 multiplexes everything over it. */
export const connectEtcd = (endpoints: readonly string[]): Etcd3 =>
  new Etcd3({ hosts: [...endpoints], dialTimeout: 2_000 });

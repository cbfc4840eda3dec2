import { type Connection } from '@temporalio/client';
import { type Etcd3 } from 'etcd3';
import { type ReadinessCheck } from './readiness.js';

/** etcd answers a status call (the member is up and serving). */
export const etcdCheck = (etcd: Etcd3): ReadinessCheck => ({ name: 'etcd', probe: () => etcd.maintenance.status() });

/** The Temporal frontend answers (system info is the cheapest authenticated call). */
export const temporalCheck = (connection: Pick<Connection, 'workflowService'>): ReadinessCheck => ({
  name: 'temporal',
  probe: () => connection.workflowService.getSystemInfo({}),
});

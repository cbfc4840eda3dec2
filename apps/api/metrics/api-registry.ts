import { type Client } from '@temporalio/client';
import { type Etcd3 } from 'etcd3';
import { GatewayStateStore } from '#etcd';
import { processRegistry, registerFleetMetrics } from '#runtime';

/** Runs open and waiting for approval, by the `Outcome` search attribute the workflow keeps current. */
const APPROVALS_WAITING_QUERY = `WorkflowType = 'remediateGateway' AND ExecutionStatus = 'Running' AND Outcome = 'awaiting-approval'`;

export const apiRegistry = (etcd: Etcd3, temporal: Client) => {
  const registry = processRegistry('api');
  const states = new GatewayStateStore(etcd);
  registerFleetMetrics(registry, {
    states: async () => [...(await states.list()).values()].map((r) => r.state),
    approvalsWaiting: async () => (await temporal.workflow.count(APPROVALS_WAITING_QUERY)).count,
  });
  return registry;
};

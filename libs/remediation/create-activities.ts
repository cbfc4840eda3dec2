import { type Etcd3 } from 'etcd3';
import { createDecisionActivities } from './decision-activities.js';
import { FleetAccess } from './fleet-access.js';
import { createGatewayActivities } from './gateway-activities.js';
import { type RemediationActivities } from './remediation-activities.js';

export interface ActivityDependencies {
  readonly etcd: Etcd3;
  /** How long rehoming waits for the source's sessions to leave. */
  readonly rehomeWaitMs?: number;
}

export const createRemediationActivities = ({ etcd, rehomeWaitMs = 20_000 }: ActivityDependencies): RemediationActivities => {
  const fleet = new FleetAccess(etcd);
  return { ...createDecisionActivities(fleet), ...createGatewayActivities(fleet, rehomeWaitMs) };
};

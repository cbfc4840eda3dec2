import { type Etcd3 } from 'etcd3';
import { createDecisionActivities } from './decision-activities.js';
import { FleetAccess } from './fleet-access.js';
import { createGatewayActivities } from './gateway-activities.js';
import { createMigrationActivities } from './migration-activities.js';
import { type RemediationActivities } from './remediation-activities.js';

export interface ActivityDependencies {
  readonly etcd: Etcd3;
  /** Signs the activities' calls to gateways' control endpoints. */
  readonly controlSecret: string;
}

export const createRemediationActivities = ({ etcd, controlSecret }: ActivityDependencies): RemediationActivities => {
  const fleet = new FleetAccess(etcd, controlSecret);
  return { ...createDecisionActivities(fleet), ...createGatewayActivities(fleet), ...createMigrationActivities(fleet) };
};

import { type Etcd3 } from 'etcd3';
import { createDecisionActivities } from './decision-activities.js';
import { FleetAccess } from './fleet-access.js';
import { createGatewayActivities } from './gateway-activities.js';
import { createMigrationActivities } from './migration-activities.js';
import { type PodActuation, withPodActuation } from './pod-actuation.js';
import { type RemediationActivities } from './remediation-activities.js';

export interface ActivityDependencies {
  readonly etcd: Etcd3;
  /** Signs the activities' calls to gateways' control endpoints. */
  readonly controlSecret: string;
  /** K8s mode: pod labels and Events beside etcd and the agents. */
  readonly pods?: PodActuation;
}

export const createRemediationActivities = ({ etcd, controlSecret, pods }: ActivityDependencies): RemediationActivities => {
  const fleet = new FleetAccess(etcd, controlSecret);
  const activities: RemediationActivities = {
    ...createDecisionActivities(fleet),
    ...createGatewayActivities(fleet),
    ...createMigrationActivities(fleet),
    recordMilestone: async () => undefined,
  };
  return withPodActuation(activities, pods);
};

import { type Etcd3 } from 'etcd3';
import { type RunLiveness, StormStore, type TimelineWriter } from '#etcd';
import { createDecisionActivities } from './decision-activities.js';
import { FleetAccess } from './fleet-access.js';
import { createGatewayActivities } from './gateway-activities.js';
import { createMigrationActivities } from './migration-activities.js';
import { type PodActuation, stormPodNotices, withPodActuation } from './pod-actuation.js';
import { type RemediationActivities } from './remediation-activities.js';
import { recordRunEnding } from './run-timeline.js';
import { createStormActivities } from './storm-activities.js';
import { NO_SUPERVISOR, type Supervisor } from './supervisor.js';

export interface ActivityDependencies {
  readonly etcd: Etcd3;
  /** Signs the activities' calls to gateways' control endpoints. */
  readonly controlSecret: string;
  /** K8s mode: pod labels and Events beside etcd and the agents. */
  readonly pods?: PodActuation;
  /** Temporal's word on whether a run is open: a gateway's operation claim left by a closed run is taken over. */
  readonly isRunOpen: RunLiveness;
  /** What can end a gateway process for good (devstack fleet, Kubernetes); none by default. */
  readonly supervisor?: Supervisor;
  /** The policy lab's timelines: each run's decisions and outcome, recorded as it ends (none when absent). */
  readonly timeline?: TimelineWriter;
}

export const createRemediationActivities = ({ etcd, controlSecret, pods, isRunOpen, supervisor = NO_SUPERVISOR, timeline }: ActivityDependencies): RemediationActivities => {
  const fleet = new FleetAccess(etcd, controlSecret, isRunOpen);
  const activities: RemediationActivities = {
    ...createDecisionActivities(fleet),
    ...createGatewayActivities(fleet, supervisor),
    ...createMigrationActivities(fleet),
    ...createStormActivities(new StormStore(etcd), pods ? stormPodNotices(pods) : undefined),
    recordMilestone: async () => (timeline ? recordRunEnding(timeline) : undefined),
  };
  return withPodActuation(activities, pods);
};

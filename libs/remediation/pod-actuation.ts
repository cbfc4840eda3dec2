import { FLEET_REBALANCE_CLAIM, type Milestone, type RemediationOutcome, stormBeganNote, stormLiftedNote } from '#core';
import { type PodActuator, currentRun } from './pod-actuator.js';
import { type GatewayActionInput, type QuarantineResult, type RemediationActivities } from './remediation-activities.js';
import { type StormNotices } from './storm-notices.js';

export interface PodActuation {
  readonly pods: PodActuator;
  readonly runLink: (workflowId: string, runId: string) => string;
}

const OUTCOME_MILESTONES: Partial<Record<RemediationOutcome, Milestone>> = { healed: 'healed', compensated: 'compensated', 'needs-human': 'needsHuman' };

/**
 * K8s mode: the same activities, each also setting the pod's rotation label and writing
 * the milestone Event, after its etcd and agent work (the truth routing follows comes
 * first; the label mirrors it). Workflows call exactly what they called before.
 */
export const withPodActuation = (activities: RemediationActivities, actuation: PodActuation | undefined): RemediationActivities => {
  if (!actuation) return activities;
  const { pods, runLink } = actuation;
  const out = (act: (input: GatewayActionInput) => Promise<QuarantineResult>, state: string) => async (input: GatewayActionInput) => {
    const result = await act(input);
    const run = currentRun(runLink);
    await pods.setRotation(input.gatewayId, 'out', run, `${state}: ${input.reason}`);
    await pods.milestone(input.gatewayId, 'outOfRotation', `taken out of rotation (${state}): ${input.reason}`, run);
    return result;
  };
  return {
    ...activities,
    quarantineGateway: out(activities.quarantineGateway, 'quarantined'),
    degradeGateway: out(activities.degradeGateway, 'degraded'),
    drainGateway: out(activities.drainGateway, 'draining'),
    probationGateway: out(activities.probationGateway, 'probation'),
    returnToService: async (input) => {
      const result = await activities.returnToService(input);
      const run = currentRun(runLink);
      await pods.setRotation(input.gatewayId, 'in', run, `serving: ${input.reason}`);
      await pods.milestone(input.gatewayId, 'backInRotation', `back in rotation: ${input.reason}`, run);
      return result;
    },
    // The run holds the gateway now and is about to act on it. The fleet-wide claim (rebalances
    // take turns on it) names no gateway, so no pod.
    claimOperation: async (request) => {
      const outcome = await activities.claimOperation(request);
      if (outcome.acquired && request.gatewayId !== FLEET_REBALANCE_CLAIM) await pods.milestone(request.gatewayId, 'started', `remediation ${request.workflowId} is acting: ${request.operation}`, currentRun(runLink));
      return outcome;
    },
    // The Events first: named by run and milestone, a retry (the timeline's write failed) puts the same ones.
    recordMilestone: async (input) => {
      const { gatewayId, outcome, why, moved } = input;
      const run = currentRun(runLink);
      if (moved > 0) await pods.milestone(gatewayId, 'sessionsMigrated', `${moved} sessions migrated`, run);
      const milestone = OUTCOME_MILESTONES[outcome];
      if (milestone) await pods.milestone(gatewayId, milestone, `${outcome}: ${why}`, run);
      await activities.recordMilestone(input);
    },
  };
};

/**
 * K8s mode: a storm told on its suspects' pods, from its run's own activity (the workflow's
 * history is what it was): a Warning `StormBegan` on each suspect, a Normal `StormLifted` at
 * the end, with the storm run's link. A suspect that is no pod is skipped.
 */
export const stormPodNotices = ({ pods, runLink }: PodActuation): StormNotices => ({
  suspect: async (gatewayId, storm) => pods.milestone(gatewayId, 'stormBegan', stormBeganNote(storm), currentRun(runLink)),
  lifted: async (gatewayId, storm, lift) => pods.milestone(gatewayId, 'stormLifted', stormLiftedNote(storm, lift), currentRun(runLink)),
});

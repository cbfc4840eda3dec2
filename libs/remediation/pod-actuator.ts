import { Context } from '@temporalio/activity';
import { type Milestone, type Rotation } from '#core';

/** The run an activity works for, with its Temporal UI link (for annotations and Events). */
export interface RunRef {
  readonly workflowId: string;
  readonly runId: string;
  readonly link: string;
}

/**
 * What K8s mode adds to the gateway activities: the pod's rotation label and Events.
 * libs/k8s implements it; without K8s mode there is none and nothing changes.
 */
export interface PodActuator {
  setRotation(gatewayId: string, rotation: Rotation, run: RunRef, reason: string): Promise<void>;
  milestone(gatewayId: string, milestone: Milestone, what: string, run: RunRef): Promise<void>;
}

/** The run of the activity being executed now. */
export const currentRun = (runLink: (workflowId: string, runId: string) => string): RunRef => {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('pod actuation runs inside a workflow activity only');
  const { workflowId, runId } = execution;
  return { workflowId, runId, link: runLink(workflowId, runId) };
};

import { Context } from '@temporalio/activity';
import { type RemediationReport, recordedRunOf } from '#core';
import { type TimelineWriter } from '#etcd';

/**
 * Records, in the gateway's timeline, what the run this activity works for decided and how it
 * ended. Called from the activity the run calls as it ends (`recordMilestone`), so no workflow
 * history changes: the run's own `report` query says it all (the outcome is set by then). One key
 * per run id, so a retried attempt writes the same record again.
 */
export const recordRunEnding = async (timeline: TimelineWriter): Promise<void> => {
  const { client, info } = Context.current();
  const execution = info.workflowExecution;
  if (!execution) return;
  const report = await client.workflow.getHandle(execution.workflowId, execution.runId).query<RemediationReport>('report');
  await timeline.record(recordedRunOf(report, execution));
};

import { type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { waitUntil } from '../wait-until.js';

/**
 * The run of `workflowId` that started at or after `since` (a second of slack for clock
 * reads on either side), once it exists. Earlier runs of the same id (a gateway healed
 * before) are not it.
 */
export const runStartedSince = (temporal: Client, workflowId: string, since: number, what: string, timeoutMs = 60_000): Promise<WorkflowExecutionDescription> =>
  waitUntil(
    what,
    async () => {
      const description = await temporal.workflow.getHandle(workflowId).describe().catch(() => undefined);
      return description && description.startTime.getTime() >= since - 1_000 ? description : undefined;
    },
    { timeoutMs, intervalMs: 20 },
  );

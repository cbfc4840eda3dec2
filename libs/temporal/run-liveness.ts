import { type Client, WorkflowNotFoundError } from '@temporalio/client';

/**
 * Whether one run (workflow id + run id) is still open, as Temporal knows it. A
 * run Temporal no longer has (closed and past retention) is not open.
 */
export const temporalRunLiveness =
  (client: Client) =>
  async (workflowId: string, runId: string): Promise<boolean> => {
    try {
      const description = await client.workflow.getHandle(workflowId, runId).describe();
      return description.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  };

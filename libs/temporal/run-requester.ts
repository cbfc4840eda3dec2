import { type Client } from '@temporalio/client';
import { IDENTITY_NAME_PATTERN } from '#core';

/**
 * Who asked for a run: the `requestedBy` of the request it was started with, read from
 * its first history event (WorkflowExecutionStarted), so it is the caller the API
 * authenticated and not anything the run was told later. Undefined for runs nobody
 * requested (the detector's, the lease watcher's, a schedule's).
 */
export const runRequester = async (client: Client, workflowId: string, runId: string): Promise<string | undefined> => {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  const request: unknown = client.options.loadedDataConverter.payloadConverter.fromPayload(payload);
  const requestedBy = typeof request === 'object' && request !== null ? (request as { requestedBy?: unknown }).requestedBy : undefined;
  return typeof requestedBy === 'string' && IDENTITY_NAME_PATTERN.test(requestedBy) ? requestedBy : undefined;
};

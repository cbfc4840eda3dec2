import { type Payload, defaultPayloadConverter } from '@temporalio/common';
import type proto from '@temporalio/proto';

type RawExecution = proto.temporal.api.workflow.v1.IWorkflowExecutionInfo;
type RawTimestamp = proto.google.protobuf.ITimestamp | null | undefined;

const STATUS_PREFIX = 'WORKFLOW_EXECUTION_STATUS_';
const STATUS_NAMES = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

const toDate = (ts: RawTimestamp): Date | undefined =>
  ts?.seconds == null ? undefined : new Date(Number(ts.seconds.toString()) * 1_000 + Math.floor((ts.nanos ?? 0) / 1e6));

const keyword = (raw: RawExecution, name: string): string | undefined => {
  const payload = raw.searchAttributes?.indexedFields?.[name];
  return payload ? defaultPayloadConverter.fromPayload<string>(payload as Payload) : undefined;
};

/**
 * The fields Homeostat reads from a raw visibility entry. The SDK's own decoder is
 * internal, and its iterator hides page tokens, which the API's pagination needs.
 */
export const decodeExecution = (raw: RawExecution) => ({
  workflowId: raw.execution?.workflowId ?? '',
  runId: raw.execution?.runId ?? '',
  status: (STATUS_NAMES[raw.status ?? 0] ?? String(raw.status)).replace(STATUS_PREFIX, ''),
  startTime: toDate(raw.startTime),
  closeTime: toDate(raw.closeTime),
  keyword: (name: string) => keyword(raw, name),
});

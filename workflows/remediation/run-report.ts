import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { type RemediationOutcome, type RemediationReport, type RemediationRequest, type RemediationStep } from '#core';
import { OutcomeAttribute } from '#temporal/search-attributes';

export const newReport = (request: RemediationRequest, startedAt: number): RemediationReport => ({
  gatewayId: request.gatewayId,
  trigger: request.trigger,
  ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
  reason: request.reason,
  requestedAt: request.requestedAt,
  startedAt,
  dryRun: request.dryRun === true,
  ...(request.findings ? { findings: request.findings } : {}),
  evidence: [],
  guardrails: [],
  steps: [],
  outcome: 'running',
});

/**
 * Runs `work` as a named step of the report, with its timestamps and its result
 * (or `summarise(result)`, for results too big to repeat) or error.
 */
export const step = async <T>(
  report: RemediationReport,
  name: string,
  work: () => Promise<T>,
  summarise: (result: T) => unknown = (result) => result,
): Promise<T> => {
  const record: RemediationStep = { name, startedAt: Date.now(), status: 'running' };
  report.steps.push(record);
  try {
    const result = await work();
    Object.assign(record, { status: 'done', finishedAt: Date.now() });
    const detail = summarise(result);
    if (detail && typeof detail === 'object' && !Array.isArray(detail)) record.detail = { ...(detail as Record<string, unknown>) };
    return result;
  } catch (error) {
    Object.assign(record, { status: 'failed', finishedAt: Date.now(), error: describeFailure(error) });
    throw error;
  }
};

/** The run ends here: the outcome and why, in the report. */
export class RunEnded extends Error {
  constructor(
    readonly outcome: RemediationOutcome,
    readonly why: string,
  ) {
    super(`${outcome}: ${why}`);
  }
}

export const describeFailure = (error: unknown): string => {
  if (error instanceof ApplicationFailure || !(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: Error }).cause;
  return cause ? `${error.message}: ${cause.message}` : error.message;
};

/** The run's outcome so far, in its report and in the `Outcome` search attribute. */
export const setOutcome = (report: RemediationReport, outcome: RemediationOutcome): void => {
  report.outcome = outcome;
  upsertSearchAttributes([{ key: OutcomeAttribute, value: outcome }]);
};

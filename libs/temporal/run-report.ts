import { type Client, type WorkflowHandle } from '@temporalio/client';

/**
 * Where a report came from: the run's result in its history (a completed run, no worker
 * needed), the `report` query (answered by a worker, open or closed run), or nowhere (no worker
 * answered in time: only what visibility knows — status and times — is given).
 */
export type ReportSource = 'result' | 'query' | 'none';

export interface RunReport<R> {
  readonly runId: string;
  readonly status: string;
  readonly startTime: string;
  readonly closeTime: string | undefined;
  readonly report: R | undefined;
  readonly reportSource: ReportSource;
  /** Why there is no report, when there is none. */
  readonly reportUnavailable?: string;
}

/** Kept back from the request's deadline for what follows a query that no worker answers. */
const RESERVE_MS = 300;
const QUERY_BUDGET_WITHOUT_DEADLINE_MS = 5_000;

/** The deadline the caller set around us (e.g. the API's per-request one), if any. */
const outerDeadline = (client: Client): number | undefined => {
  const storage = (client.connection as { callContextStorage?: { getStore(): { deadline?: number | Date } | undefined } }).callContextStorage;
  const deadline = storage?.getStore()?.deadline;
  return deadline === undefined ? undefined : Number(deadline);
};

/**
 * Reads one run's report. A query needs a worker; rather than fail the whole answer when none
 * answers, the query gets most of the remaining deadline and the rest is left to say so.
 */
export const readRunReport = async <R>(client: Client, handle: WorkflowHandle): Promise<RunReport<R>> => {
  const description = await handle.describe();
  const status = description.status.name;
  const base = { runId: description.runId, status, startTime: description.startTime.toISOString(), closeTime: description.closeTime?.toISOString() };
  if (status === 'COMPLETED') return { ...base, report: (await handle.result()) as R, reportSource: 'result' };
  const outer = outerDeadline(client);
  const deadline = outer === undefined ? Date.now() + QUERY_BUDGET_WITHOUT_DEADLINE_MS : outer - RESERVE_MS;
  try {
    const report = await client.connection.withDeadline(deadline, () => handle.query<R>('report'));
    return { ...base, report, reportSource: 'query' };
  } catch (error) {
    return {
      ...base,
      report: undefined,
      reportSource: 'none',
      reportUnavailable: `no worker answered the report query (${(error as Error).message.split('\n')[0]}); status and times are from Temporal visibility`,
    };
  }
};

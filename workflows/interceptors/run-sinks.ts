import { type Sinks } from '@temporalio/workflow';

/**
 * Calls from workflow code out to the worker (Temporal sinks): fire-and-forget,
 * and never called during replay, so a run is counted once however often it replays.
 */
export interface RunSinks extends Sinks {
  runs: {
    /** A workflow returned; `result` is what it returned (a remediation's report). */
    finished(workflowType: string, result: unknown): void;
  };
}

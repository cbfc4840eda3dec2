import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  type ScheduleHandle,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import { HEALTH_SWEEP_WORKFLOW_TYPE, type HealthSweepInput, sweepWorkflowIdPrefix } from '#core';
import { HOMEOSTAT_TASK_QUEUE } from './task-queue.js';

/** A sweep schedule as the API shows it. */
export interface SweepScheduleView {
  readonly id: string;
  /** Null only for a schedule given another kind of spec outside Homeostat (e.g. a cron). */
  readonly everySeconds: number | null;
  readonly paused: boolean;
  readonly note: string | null;
  /** Each run's workflow id is this plus `-<scheduled time>`. */
  readonly workflowIdPrefix: string;
  readonly nextRunAt: string | null;
  /** Oldest first, as Temporal keeps them (the last few). */
  readonly recentRuns: readonly { readonly workflowId: string; readonly runId: string; readonly startedAt: string }[];
}

export interface SweepScheduleRequest {
  readonly id: string;
  readonly everySeconds: number;
  /** Left as it is on an existing schedule when absent, so a restart does not undo an operator's pause. */
  readonly paused?: boolean;
}

export class SweepScheduleNotFoundError extends Error {
  constructor(id: string) {
    super(`no sweep schedule with id ${id}`);
    this.name = 'SweepScheduleNotFoundError';
  }
}

/** The id is taken by a schedule that starts something other than sweeps: never overwrite it. */
export class ScheduleIdTakenError extends Error {
  constructor(id: string, workflowType: string) {
    super(`schedule ${id} exists and starts ${workflowType}, not ${HEALTH_SWEEP_WORKFLOW_TYPE}`);
    this.name = 'ScheduleIdTakenError';
  }
}

// A slow sweep is not doubled up by the next tick, and after an outage one sweep catches up, not a burst.
const POLICIES: ScheduleOptions['policies'] = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };

const sweepAction = (id: string): ScheduleOptionsStartWorkflowAction<(input: HealthSweepInput) => Promise<unknown>> => ({
  type: 'startWorkflow',
  workflowType: HEALTH_SWEEP_WORKFLOW_TYPE,
  taskQueue: HOMEOSTAT_TASK_QUEUE,
  workflowId: sweepWorkflowIdPrefix(id),
  // `{}`: each run takes the sweep's current defaults rather than values frozen into the schedule.
  args: [{}],
  // A stuck sweep must not hold the schedule (overlap SKIP) forever.
  workflowRunTimeout: '5 minutes',
  // Every run it starts carries this in the Temporal UI's run list.
  staticSummary: `fleet · health sweep (schedule ${id})`,
});

/** Creates, lists, pauses, triggers and deletes the Temporal Schedules that run `healthSweep`. */
export class SweepSchedules {
  constructor(private readonly client: Client) {}

  /**
   * Idempotent: creates the schedule, or brings an existing sweep schedule with that id to
   * the requested interval (and pause state, when given). `created` says which happened.
   */
  async ensure({ id, everySeconds, paused }: SweepScheduleRequest): Promise<{ created: boolean; schedule: SweepScheduleView }> {
    const spec = { intervals: [{ every: `${everySeconds} seconds` }] };
    try {
      await this.client.schedule.create({ scheduleId: id, spec, action: sweepAction(id), policies: POLICIES, state: { paused: paused ?? false } });
      return { created: true, schedule: await this.get(id) };
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
    const handle = this.client.schedule.getHandle(id);
    const description = await handle.describe().catch(rethrowAsNotFound(id));
    if (!isSweep(description)) throw new ScheduleIdTakenError(id, description.action.workflowType);
    await handle.update((previous) => ({ spec, action: sweepAction(id), policies: POLICIES, state: { paused: previous.state.paused, note: previous.state.note } }));
    if (paused !== undefined && paused !== description.state.paused) {
      await (paused ? handle.pause('paused via Homeostat') : handle.unpause('unpaused via Homeostat'));
    }
    return { created: false, schedule: await this.get(id) };
  }

  /** Sweep schedules only, by id. Listing is eventually consistent; each is then described afresh. */
  async list(): Promise<SweepScheduleView[]> {
    const ids: string[] = [];
    for await (const summary of this.client.schedule.list()) {
      // The summary may lack its action for a moment after creation: describe those to be sure.
      if (summary.action === undefined || summary.action.workflowType === HEALTH_SWEEP_WORKFLOW_TYPE) ids.push(summary.scheduleId);
    }
    const views = await Promise.all(ids.map((id) => this.get(id).catch(skipGone)));
    return views.filter((v): v is SweepScheduleView => v !== undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async get(id: string): Promise<SweepScheduleView> {
    return toView((await this.describeSweep(id)).description);
  }

  async pause(id: string): Promise<SweepScheduleView> {
    await (await this.describeSweep(id)).handle.pause('paused via Homeostat');
    return this.get(id);
  }

  async unpause(id: string): Promise<SweepScheduleView> {
    await (await this.describeSweep(id)).handle.unpause('unpaused via Homeostat');
    return this.get(id);
  }

  /** Runs a sweep now, paused or not; the scheduled runs carry on as before. */
  async trigger(id: string): Promise<void> {
    await (await this.describeSweep(id)).handle.trigger();
  }

  async delete(id: string): Promise<void> {
    const { handle } = await this.describeSweep(id);
    await handle.delete().catch(rethrowAsNotFound(id));
  }

  private async describeSweep(id: string): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
    const handle = this.client.schedule.getHandle(id);
    const description = await handle.describe().catch(rethrowAsNotFound(id));
    // Another kind of schedule is not ours to show or change: to this API it does not exist.
    if (!isSweep(description)) throw new SweepScheduleNotFoundError(id);
    return { handle, description };
  }
}

const isSweep = (description: ScheduleDescription): boolean => description.action.workflowType === HEALTH_SWEEP_WORKFLOW_TYPE;

const rethrowAsNotFound =
  (id: string) =>
  (error: unknown): never => {
    throw error instanceof ScheduleNotFoundError ? new SweepScheduleNotFoundError(id) : error;
  };

const skipGone = (error: unknown): undefined => {
  if (error instanceof SweepScheduleNotFoundError) return undefined;
  throw error;
};

const toView = (d: ScheduleDescription): SweepScheduleView => {
  const every = d.spec.intervals?.[0]?.every;
  return {
    id: d.scheduleId,
    everySeconds: every === undefined ? null : Math.round(every / 1_000),
    paused: d.state.paused,
    note: d.state.note ?? null,
    workflowIdPrefix: d.action.workflowId,
    nextRunAt: d.state.paused ? null : (d.info.nextActionTimes[0]?.toISOString() ?? null),
    recentRuns: d.info.recentActions.map((run) => ({
      workflowId: run.action.workflow.workflowId,
      runId: run.action.workflow.firstExecutionRunId,
      startedAt: run.takenAt.toISOString(),
    })),
  };
};

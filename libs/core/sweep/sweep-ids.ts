/** The workflow type schedules start; also how a schedule is recognised as a sweep schedule. */
export const HEALTH_SWEEP_WORKFLOW_TYPE = 'healthSweep';

/** The schedule every worker makes sure exists (unless told not to). */
export const DEFAULT_SWEEP_SCHEDULE_ID = 'health-sweep';

/** Schedule ids appear in workflow ids and URLs: the gateway-id alphabet keeps them safe. */
export const SWEEP_SCHEDULE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Sweep runs are `sweep:<scheduleId>`, to which Temporal appends the scheduled time
 * (`sweep:health-sweep-2025-01-01T00:00:30Z`), so runs of different schedules never collide.
 */
export const sweepWorkflowIdPrefix = (scheduleId: string): string => `sweep:${scheduleId}`;

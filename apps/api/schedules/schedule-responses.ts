import { z } from 'zod';

export const ScheduleView = z.object({
  id: z.string(),
  everySeconds: z.number().nullable().describe('Null only for a schedule given another kind of spec outside Homeostat'),
  paused: z.boolean(),
  note: z.string().nullable(),
  workflowIdPrefix: z.string(),
  nextRunAt: z.string().nullable(),
  recentRuns: z.array(z.object({ workflowId: z.string(), runId: z.string(), startedAt: z.string() })),
});

export const ScheduleList = z.object({ schedules: z.array(ScheduleView) });

export const ScheduleEnsured = z.object({ created: z.boolean(), schedule: ScheduleView });

export const ScheduleChanged = z.object({ schedule: ScheduleView });

export const ScheduleTriggered = z.object({ id: z.string(), triggered: z.literal(true) });

export const ScheduleDeleted = z.object({ id: z.string(), deleted: z.literal(true) });

import { z } from 'zod';
import { DEFAULT_SWEEP_SCHEDULE_ID, SWEEP_SCHEDULE_ID_PATTERN } from '#core';

const ONE_DAY_SECONDS = 86_400;

export const CreateScheduleBody = z
  .object({
    id: z
      .string({ error: 'id must be a string' })
      .regex(SWEEP_SCHEDULE_ID_PATTERN, 'id must be lowercase letters, digits, . _ - (max 63)')
      .default(DEFAULT_SWEEP_SCHEDULE_ID),
    everySeconds: z
      .number({ error: 'everySeconds is required: a whole number of seconds' })
      .int('everySeconds must be a whole number of seconds')
      .min(1, 'everySeconds must be at least 1')
      .max(ONE_DAY_SECONDS, `everySeconds must be at most ${ONE_DAY_SECONDS} (one day)`),
    paused: z.boolean({ error: 'paused must be true or false' }).optional(),
  })
  .strict();

export type CreateScheduleBody = z.infer<typeof CreateScheduleBody>;

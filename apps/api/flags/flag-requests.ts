import { z } from 'zod';
import { FLAG_NAME_PATTERN } from '#core';

export const FlagNameParam = z.string().regex(FLAG_NAME_PATTERN, 'flag name must be lowercase letters, digits, . _ - (max 63)');

export const SetFlagBody = z
  .object({
    enabled: z.boolean({ error: 'enabled is required and must be true or false' }),
    reason: z.string().trim().min(1, 'reason must not be empty').max(500).optional(),
  })
  .strict();

export type SetFlagBody = z.infer<typeof SetFlagBody>;

import { z } from 'zod';
import { KNOWN_FLAGS } from '#core';
import { nonBlankText } from '../request-fields.js';

export const FlagNameParam = z.enum(KNOWN_FLAGS, { error: `unknown flag; the known flags are: ${KNOWN_FLAGS.join(', ')}` });

export const SetFlagBody = z
  .object({
    enabled: z.boolean({ error: 'enabled is required and must be true or false' }),
    reason: nonBlankText('reason', 500).optional(),
  })
  .strict();

export type SetFlagBody = z.infer<typeof SetFlagBody>;

import { z } from 'zod';
import { FlagRecordSchema } from '#core';

export const NamedFlag = FlagRecordSchema.extend({ name: z.string() });

export const FlagList = z.object({ flags: z.array(NamedFlag) });

import { z } from 'zod';
import { nonBlankText } from '../request-fields.js';

export const LiftStormBody = z.object({ reason: nonBlankText('reason', 500) }).strict();

export type LiftStormBody = z.infer<typeof LiftStormBody>;

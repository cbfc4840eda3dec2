import { z } from 'zod';
import { StormLiftSchema, StormStateSchema } from '#core';

const Storm = StormStateSchema.extend({ since: z.string().describe('sinceMs as an RFC 3339 time'), workflowId: z.string().describe('the run that explains the storm') });
const Lift = StormLiftSchema.extend({ at: z.string().describe('atMs as an RFC 3339 time') });

export const StormView = z.object({
  /** The storm on now: automatic removals are paused while it lasts. */
  storm: Storm.nullable(),
  lastLift: Lift.nullable(),
});

export const LiftedStorm = z.object({ lifted: Storm, lift: Lift });

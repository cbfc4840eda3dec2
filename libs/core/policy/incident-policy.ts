import { z } from 'zod';

/** How one incident (one run) takes in new evidence, and how long a handled gateway is left alone. */
export const IncidentSchema = z.strictObject({
  /** After acting short of removal (degrade, observe), the run keeps watching this long for escalation or recovery. */
  watchMs: z.int().positive().max(3_600_000).default(30_000),
  /** While watching, the run looks at the gateway again this often (a new trigger wakes it at once). */
  recheckMs: z.int().min(1_000).max(600_000).default(2_000),
  /** A trigger's findings (what only a detector could see) count this long, then only fresh looks do. */
  findingsFreshMs: z.int().positive().max(600_000).default(5_000),
  /** A gateway held for a human gets no automatic run for this long (the quiet period). */
  holdMs: z.int().positive().default(600_000),
  /** A gateway that lost its process: how long its clients get to show up on other gateways. */
  rehomeWaitMs: z.int().positive().max(600_000).default(20_000),
});

export type IncidentSettings = z.output<typeof IncidentSchema>;

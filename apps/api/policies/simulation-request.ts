import { z } from 'zod';
import { GATEWAY_ID_PATTERN, PolicySchema } from '#core';

/** Timelines are kept 7 days by default; a window may reach back a little further when retention is longer. */
export const MAX_SIMULATION_WINDOW_MS = 31 * 24 * 3_600_000;

const isoTime = (field: string) =>
  z
    .string({ error: `${field} is required: an ISO-8601 time, e.g. 2026-11-22T10:00:00Z` })
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)), `${field} must be an ISO-8601 time, e.g. 2026-11-22T10:00:00Z`)
    .transform((v) => Date.parse(v));

/** The candidate as an author writes it (any `version` is ignored), checked like `PUT /v1/policies`. */
export const CandidatePolicySchema = PolicySchema.partial({ version: true });

export const SimulateBody = z
  .strictObject({
    policy: CandidatePolicySchema,
    from: isoTime('from'),
    until: isoTime('until'),
    gatewayIds: z.array(z.string().regex(GATEWAY_ID_PATTERN, 'gatewayIds must be lowercase letters, digits, . _ - (max 63)')).min(1).max(1_000).optional(),
    /** At most this many incidents in the answer (the summary counts them all). */
    maxIncidents: z.int().min(1).max(1_000).default(200),
  })
  .superRefine((body, ctx) => {
    if (body.until <= body.from) ctx.addIssue({ code: 'custom', path: ['until'], input: body.until, message: 'until must be after from' });
    if (body.until - body.from > MAX_SIMULATION_WINDOW_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], input: body.from, message: 'the window may span at most 31 days' });
    }
  });

export type SimulateBody = z.output<typeof SimulateBody>;

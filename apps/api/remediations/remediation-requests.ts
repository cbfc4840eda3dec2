import { z } from 'zod';
import { nonBlankText, isoTime } from '../request-fields.js';
import { ACTIONS, GATEWAY_ID_PATTERN, REMEDIATION_OUTCOMES, TRIGGER_KINDS } from '#core';

const gatewayId = z
  .string({ error: 'gatewayId is required' })
  .regex(GATEWAY_ID_PATTERN, 'gatewayId must be lowercase letters, digits, . _ - (max 63)');

/** Who decides is the authenticated caller; a `by` in the body is refused so no client believes it counts. */
export const notAllowedBy = z.never({ error: 'by is not allowed: the caller\'s identity (from its token) is recorded as who decided' }).optional();

export const StartRemediationBody = z
  .object({
    gatewayId,
    reason: nonBlankText('reason', 500),
    /** Decide, plan and record; change nothing. */
    dryRun: z.boolean().default(false),
    /** What to do; the default for an operator's request is quarantine+migrate. */
    actions: z.array(z.enum(ACTIONS.filter((a) => a !== 'none') as [string, ...string[]])).min(1).max(10).optional(),
    by: notAllowedBy,
  })
  .strict();

export type StartRemediationBody = z.infer<typeof StartRemediationBody>;

export const ListRemediationsQuery = z
  .object({
    gatewayId: gatewayId.optional(),
    outcome: z.enum(REMEDIATION_OUTCOMES).optional(),
    trigger: z.enum(TRIGGER_KINDS).optional(),
    since: isoTime('since').optional(),
    until: isoTime('until').optional(),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    pageToken: z.string().max(4_096).optional(),
  })
  .strict();

export type ListRemediationsQuery = z.infer<typeof ListRemediationsQuery>;

export const RunsQuery = ListRemediationsQuery.pick({ pageSize: true, pageToken: true }).strict();

export type RunsQuery = z.infer<typeof RunsQuery>;

export const DecisionBody = z
  .object({
    by: notAllowedBy,
    comment: z.string().max(1_000).optional(),
  })
  .strict()
  .default({});

export type DecisionBody = z.infer<typeof DecisionBody>;

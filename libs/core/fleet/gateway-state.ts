import { z } from 'zod';

/** A gateway's routing state, kept at `/homeostat/state/<id>` (not under a lease: it outlives the process). */
export const GATEWAY_STATES = ['serving', 'suspect', 'degraded', 'quarantined', 'draining', 'probation'] as const;
export type GatewayStateName = (typeof GATEWAY_STATES)[number];

export const GatewayStateRecordSchema = z.object({
  state: z.enum(GATEWAY_STATES),
  since: z.number().int().nonnegative(),
  /** Who set it: a workflow id, `agent` or `operator`. */
  by: z.string(),
  reason: z.string().optional(),
});

export type GatewayStateRecord = z.infer<typeof GatewayStateRecordSchema>;

/** Only a serving gateway takes new sessions or receives migrated ones. */
export const acceptsSessions = (state: GatewayStateName | undefined): boolean => state === undefined || state === 'serving';

import { z } from 'zod';

/** A gateway's routing state, kept at `/homeostat/state/<id>` (not under a lease: it outlives the process). */
export const GATEWAY_STATES = ['serving', 'suspect', 'degraded', 'quarantined', 'draining', 'probation', 'fenced'] as const;
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

/**
 * Put out of rotation by a remediation or an operator: it takes no new sessions, and
 * coming back (a new registration) goes through restore, never straight to serving.
 * `suspect` is a detector's opinion, not a routing decision, so it is not one of them.
 */
export const OUT_OF_ROTATION_STATES: readonly GatewayStateName[] = ['degraded', 'quarantined', 'draining', 'probation', 'fenced'];

export const isOutOfRotation = (state: GatewayStateName | undefined): boolean => state !== undefined && OUT_OF_ROTATION_STATES.includes(state);

/**
 * Out of rotation with its sessions sent away (or being sent away): nothing is left for
 * another remediation to do, so a later trigger (lease expiry, a detector) starts none.
 * A `degraded` gateway still holds its sessions and may need escalating, so it is not isolated.
 */
export const isIsolated = (state: GatewayStateName | undefined): boolean => state === 'quarantined' || state === 'draining' || state === 'fenced';

/** `fenced`: the agent sheds every client session and refuses new ones until restored (docs/protocol.md §9). */
export const mustShedSessions = (state: GatewayStateName | undefined): boolean => state === 'fenced';

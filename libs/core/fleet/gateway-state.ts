import { z } from 'zod';

/**
 * A gateway's routing state, kept at `/homeostat/state/<id>` (not under a lease: it outlives the process).
 * - `needs-human`: a run stopped rather than guess; no automatic run touches it until a human acts
 *   (restore, an operator's run) or the policy's quiet period passes. `inRotation` says whether it
 *   still takes sessions (a refused quarantine leaves it serving).
 * - `fenced`: cut off for good while wedged: its agent sheds every session and refuses new ones as
 *   soon as it sees this, so a gateway that wakes up cannot come back half-alive.
 */
export const GATEWAY_STATES = ['serving', 'suspect', 'degraded', 'quarantined', 'draining', 'probation', 'fenced', 'needs-human'] as const;
export type GatewayStateName = (typeof GATEWAY_STATES)[number];

export const GatewayStateRecordSchema = z.object({
  state: z.enum(GATEWAY_STATES),
  since: z.number().int().nonnegative(),
  /** Who set it: a workflow id, `agent` or `operator`. */
  by: z.string(),
  reason: z.string().optional(),
  /**
   * The gateway's last known control address: kept here, outside the lease, so a gateway whose
   * registration lapsed is still asked (migration, verification) instead of assumed gone.
   */
  controlUrl: z.string().url().optional(),
  /** `needs-human` only: whether the gateway still takes sessions while it waits. */
  inRotation: z.boolean().optional(),
});

export type GatewayStateRecord = z.infer<typeof GatewayStateRecordSchema>;

/**
 * Only a serving gateway takes new sessions or receives migrated ones, and one held for a
 * human that was left in rotation (its record says so; by name alone it does not).
 */
export const acceptsSessions = (state: GatewayStateName | GatewayStateRecord | undefined): boolean => {
  if (state === undefined || state === 'serving') return true;
  if (typeof state === 'string') return false;
  return state.state === 'serving' || (state.state === 'needs-human' && state.inRotation === true);
};

/**
 * Put out of rotation by a remediation or an operator: it takes no new sessions, and
 * coming back (a new registration) goes through restore, never straight to serving.
 * `suspect` is a detector's opinion, not a routing decision, so it is not one of them;
 * `needs-human` waits for a human, so no restore starts by itself either.
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

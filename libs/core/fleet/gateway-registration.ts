import { z } from 'zod';
import { GATEWAY_ID_PATTERN } from '../ids/workflow-ids.js';

/** What a gateway publishes under its lease at `/homeostat/gateways/<id>`. */
export const GatewayRegistrationSchema = z.object({
  id: z.string().regex(GATEWAY_ID_PATTERN),
  /** Where clients connect (ws://…). */
  address: z.string().url(),
  /** Where the control plane reaches the agent (http://…). */
  controlUrl: z.string().url(),
  capacity: z.number().int().positive(),
  zone: z.string().default('local'),
  version: z.string().default('0'),
  /**
   * Random per process start: a registration with the same instance id after a lapsed lease is
   * the same process coming back (an etcd blip, a pause), a different one is a restart.
   * Optional so gateways that do not send it still register (each registration then counts as new).
   */
  instanceId: z.string().min(1).max(64).optional(),
  /** Set just before a graceful shutdown so the lease's end is not read as a failure. */
  leaving: z.boolean().optional(),
});

export type GatewayRegistration = z.infer<typeof GatewayRegistrationSchema>;

/** Same process as before (its lease lapsed and it registered again), not a restart. */
export const isSameInstance = (before: GatewayRegistration | undefined, after: GatewayRegistration): boolean =>
  before?.instanceId !== undefined && before.instanceId === after.instanceId;

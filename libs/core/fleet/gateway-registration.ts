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
  /** Set just before a graceful shutdown so the lease's end is not read as a failure. */
  leaving: z.boolean().optional(),
});

export type GatewayRegistration = z.infer<typeof GatewayRegistrationSchema>;

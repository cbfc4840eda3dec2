import { z } from 'zod';
import { GATEWAY_ID_PATTERN } from '#core';

export const MigrateRequest = z.object({
  targets: z
    .array(z.object({ gatewayId: z.string().regex(GATEWAY_ID_PATTERN), address: z.string().url() }))
    .min(1, 'at least one target gateway is needed'),
  /** Which sessions to move; all of them when absent. */
  sessions: z.array(z.string()).optional(),
  /** At most this many (a batch), taken in the order of `sessions` or arrival. */
  limit: z.number().int().positive().optional(),
});
export type MigrateRequest = z.infer<typeof MigrateRequest>;

export interface GatewayStatus {
  readonly gatewayId: string;
  readonly accepting: boolean;
  readonly sessions: number;
}

export interface MigrateResult {
  readonly redirected: number;
  readonly remaining: number;
}

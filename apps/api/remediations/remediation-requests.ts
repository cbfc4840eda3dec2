import { z } from 'zod';
import { GATEWAY_ID_PATTERN } from '#core';

export const StartRemediationBody = z
  .object({
    gatewayId: z.string({ error: 'gatewayId is required' }).regex(GATEWAY_ID_PATTERN, 'gatewayId must be lowercase letters, digits, . _ - (max 63)'),
    reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(500),
  })
  .strict();

export type StartRemediationBody = z.infer<typeof StartRemediationBody>;

export const ListRemediationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

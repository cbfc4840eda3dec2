import { z } from 'zod';
import { GATEWAY_ID_PATTERN, commaList, port, positiveInt, redirectSecret, urlList } from '#core';

export const GatewaySettingsSchema = z.object({
  GATEWAY_ID: z.string().regex(GATEWAY_ID_PATTERN, 'must be lowercase letters, digits, . _ - (max 63)'),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(0),
  GATEWAY_CAPACITY: positiveInt.default(10_000),
  GATEWAY_ZONE: z.string().default('local'),
  GATEWAY_LEASE_TTL_SECONDS: positiveInt.default(2),
  ETCD_ENDPOINTS: urlList,
  PUBLISHER_URL: z.string().url('must be the publisher address, e.g. ws://127.0.0.1:7000'),
  TOPICS: commaList.default(['ticker']),
  REPLAY_WINDOW: positiveInt.default(10_000),
  REDIRECT_SECRET: redirectSecret,
});

export type GatewaySettings = z.infer<typeof GatewaySettingsSchema>;

import { z } from 'zod';

/**
 * Where a worker or detector serves /healthz, /readyz and /metrics: loopback by
 * default (metrics say a lot about the fleet); 0 picks a free port.
 */
export const opsListenerSettings = (defaultPort: number) =>
  z.object({
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort),
  });

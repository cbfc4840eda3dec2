import { z } from 'zod';

export const Liveness = z.object({ status: z.literal('ok') });

export const Readiness = z.object({
  status: z.literal('ready'),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })).describe('Each dependency by name (etcd, temporal)'),
});

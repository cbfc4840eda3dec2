import { z } from 'zod';
import { urlList } from '#core';
import { TemporalSettingsSchema } from '#temporal';

export const WorkerSettingsSchema = TemporalSettingsSchema.extend({
  ETCD_ENDPOINTS: urlList,
  /** Start a remediation when a gateway's lease expires (the backstop signal). */
  WATCH_LEASES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export type WorkerSettings = z.infer<typeof WorkerSettingsSchema>;

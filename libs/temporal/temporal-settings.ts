import { z } from 'zod';

/** Where Temporal is; shared by every process that talks to it. */
export const TemporalSettingsSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Base of the Temporal Web UI, for run links in API answers and logs. */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
});

export type TemporalSettings = z.infer<typeof TemporalSettingsSchema>;

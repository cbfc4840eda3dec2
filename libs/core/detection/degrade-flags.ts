import { z } from 'zod';
import { IDENTITY_NAME_PATTERN } from '../auth/identity.js';

/** Flag names become etcd key segments and URL path segments. */
export const FLAG_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A degrade switch at `/homeostat/flags/<name>`: operators flip it, processes watch it. */
export const FlagRecordSchema = z.object({
  enabled: z.boolean(),
  /** Why it was flipped, for whoever finds it flipped. */
  reason: z.string().max(500).optional(),
  updatedAt: z.number().int().nonnegative(),
  /** The authenticated caller who set it (absent on records written before it was kept). */
  updatedBy: z.string().regex(IDENTITY_NAME_PATTERN).optional(),
});

export type FlagRecord = z.infer<typeof FlagRecordSchema>;

/**
 * When on, every detector behaves as in shadow mode whatever the policy says: it records
 * what it would have done and starts nothing. The fleet-wide "stop automatic healing" switch.
 */
export const DETECTOR_SHADOW_FLAG = 'detector-shadow';

/** Every flag something reads; the API refuses to set any other name (it would switch nothing). */
export const KNOWN_FLAGS = [DETECTOR_SHADOW_FLAG] as const;
export type KnownFlag = (typeof KNOWN_FLAGS)[number];

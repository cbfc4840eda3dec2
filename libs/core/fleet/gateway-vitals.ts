import { z } from 'zod';

/**
 * A gateway's vital signs, published by its agent on an interval at
 * `/homeostat/vitals/<id>` under its lease. Rates are per second over the
 * publishing interval; `tcpCounterSource` says whether FIN/RST and SYN
 * retransmits come from the OS (/proc) or from application-level equivalents.
 */
export const GatewayVitalsSchema = z.object({
  gatewayId: z.string(),
  at: z.number(),
  connections: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  accepting: z.boolean(),
  /** Recent round-trip samples (ms) to clients, newest last, bounded (≤ 64). */
  rttSamplesMs: z.array(z.number().nonnegative()).max(256),
  finRstPerSec: z.number().nonnegative(),
  synRetransmitPerSec: z.number().nonnegative(),
  tcpCounterSource: z.enum(['os', 'app']),
  /** Largest send-buffer backlog (bytes) across sessions, and the high-water mark it is judged against. */
  sendBufferBytes: z.number().nonnegative(),
  sendBufferHighWater: z.number().positive(),
  writeBlocked: z.boolean(),
  /** Fraction of the interval spent write-blocked, 0..1. */
  writeBlockedRatio: z.number().min(0).max(1),
  errorsPerSec: z.number().nonnegative(),
});

export type GatewayVitals = z.infer<typeof GatewayVitalsSchema>;

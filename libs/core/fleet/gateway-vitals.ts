import { z } from 'zod';

/**
 * A gateway's vital signs, published by its agent on an interval at
 * `/homeostat/vitals/<id>` under its lease. Rates are per second over the
 * publishing interval; `tcpCounterSource` says whether FIN/RST and SYN
 * retransmits come from the OS (/proc) or from application-level equivalents,
 * and `tcpCounterScope` whether OS counters are this gateway's own.
 * Fields marked optional are absent from gateways that predate them.
 */
export const GatewayVitalsSchema = z.object({
  gatewayId: z.string(),
  at: z.number(),
  connections: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  accepting: z.boolean(),
  /** Recent round-trip samples (fractional ms) to clients, newest last, bounded (≤ 64). */
  rttSamplesMs: z.array(z.number().nonnegative()).max(256),
  finRstPerSec: z.number().nonnegative(),
  synRetransmitPerSec: z.number().nonnegative(),
  tcpCounterSource: z.enum(['os', 'app']),
  /**
   * `gateway`: the counters are this gateway's alone (application counters, or OS counters of a network
   * namespace holding only its sockets, as in a pod); `host`: OS counters shared with every other
   * process of the namespace (a plain host), so they say little about this gateway.
   */
  tcpCounterScope: z.enum(['gateway', 'host']).optional(),
  /** Largest send-buffer backlog (bytes) across sessions, and the high-water mark it is judged against. */
  sendBufferBytes: z.number().nonnegative(),
  sendBufferHighWater: z.number().positive(),
  writeBlocked: z.boolean(),
  /** Sessions whose client is behind (buffers at their marks or acks late), and of those the ones still progressing. */
  blockedSessions: z.number().int().nonnegative().optional(),
  retryingSessions: z.number().int().nonnegative().optional(),
  /** Write-blocked, and the gateway's flow control is still getting through to every blocked session (docs/protocol.md §8.1). */
  retryPending: z.boolean().optional(),
  /** Largest sent-but-unacknowledged backlog of any session (bytes), and the age of the oldest unacknowledged message (ms). */
  unackedBytes: z.number().nonnegative().optional(),
  oldestUnackedMs: z.number().nonnegative().optional(),
  ackDeadlineMs: z.number().positive().optional(),
  /** Largest kernel send queue (tx_queue) of any client connection; absent where the OS does not expose it. */
  kernelSendQueueBytes: z.number().nonnegative().optional(),
  kernelSendQueueHighWater: z.number().positive().optional(),
  /** Fraction of the interval spent write-blocked, 0..1. */
  writeBlockedRatio: z.number().min(0).max(1),
  errorsPerSec: z.number().nonnegative(),
});

export type GatewayVitals = z.infer<typeof GatewayVitalsSchema>;

import { z } from 'zod';
import { FaultList } from '#agent';
import { EtcdSettingsShape } from '#etcd';
import { GATEWAY_ID_PATTERN, MAX_REDIRECT_TOKEN_LIFETIME_MS, commaList, controlSecret, port, positiveInt, redirectSecret } from '#core';
import { DEFAULT_BACKLOG_BUDGET_BYTES, DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_MAX_FRAME_BYTES } from '#push';

const fraction = z.coerce.number().min(0).max(1);

/** A JSON array of fault specs; the error names what is wrong inside it. */
const faultList = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of faults, e.g. [{"kind":"latency","ms":200}]' });
      return z.NEVER;
    }
  })
  .pipe(FaultList);

export const GatewaySettingsSchema = z.object({
  GATEWAY_ID: z.string().regex(GATEWAY_ID_PATTERN, 'must be lowercase letters, digits, . _ - (max 63)'),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(0),
  /** The control listener (`/control/*`, control channel): loopback unless the control plane runs elsewhere. */
  CONTROL_HOST: z.string().default('127.0.0.1'),
  CONTROL_PORT: port.default(0),
  /** Shared with the workers and detectors: every control request and channel is signed with it. */
  CONTROL_SECRET: controlSecret,
  /** Largest frame a client may send; bigger closes with 1009. */
  MAX_FRAME_BYTES: positiveInt.max(1024 * 1024, 'must be at most 1048576 (client frames are small)').default(DEFAULT_MAX_FRAME_BYTES),
  /** A connection's send-backlog budget; beyond it the connection closes with 1013 and its client resumes. */
  SESSION_BACKLOG_BUDGET_BYTES: positiveInt.default(DEFAULT_BACKLOG_BUDGET_BYTES),
  /** Open client connections per remote IP; 0 turns the limit off (the dev stack does: all its clients are 127.0.0.1). */
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().nonnegative().default(DEFAULT_MAX_CONNECTIONS_PER_IP),
  /** Largest WebSocket handshake (URL and headers) the HTTP parser reads, so an oversized token gets 4400, not 431. */
  MAX_HANDSHAKE_BYTES: positiveInt.min(16 * 1024).max(8 * 1024 * 1024).default(2 * 1024 * 1024),
  GATEWAY_CAPACITY: positiveInt.default(10_000),
  GATEWAY_ZONE: z.string().default('local'),
  GATEWAY_LEASE_TTL_SECONDS: positiveInt.default(2),
  /**
   * Refuse new sessions once etcd has not confirmed the registration for this long: the gateway
   * cannot know whether it is still in rotation. Unset: 3 × GATEWAY_LEASE_TTL_SECONDS.
   */
  SELF_FENCE_AFTER_MS: positiveInt.optional(),
  ...EtcdSettingsShape,
  PUBLISHER_URL: z.string().url('must be the publisher address, e.g. ws://127.0.0.1:7000'),
  TOPICS: commaList.default(['ticker']),
  /** Recent messages per topic always kept for resumes. */
  REPLAY_WINDOW: positiveInt.default(10_000),
  /** Hard cap per topic: a session further behind than this gets an explicit gap. */
  REPLAY_MAX: positiveInt.default(100_000),
  /** How long a departed session's hold outlives it (its next gateway may still need to fetch). */
  HOLD_RELEASE_MS: z.coerce.number().int().nonnegative().default(15_000),
  SEND_HIGH_WATER_BYTES: positiveInt.default(64 * 1024),
  /** A client connection's kernel send queue (tx_queue) past this means its client is not taking what it is sent. */
  KERNEL_SEND_QUEUE_HIGH_WATER_BYTES: positiveInt.default(512 * 1024),
  /** A client that leaves a message unacknowledged this long is behind (clients ack at least every 2 s). */
  ACK_DEADLINE_MS: positiveInt.default(5_000),
  /** How long a behind but progressing session counts as a retry under way before it is called stuck. */
  RETRY_BUDGET_MS: positiveInt.default(15_000),
  /** A session that was sent nothing for this long gets a WebSocket ping (clients leave a gateway silent for 5 s). */
  KEEPALIVE_INTERVAL_MS: positiveInt.default(1_000),
  REDIRECT_SECRET: redirectSecret,
  REDIRECT_TOKEN_TTL_MS: positiveInt.max(MAX_REDIRECT_TOKEN_LIFETIME_MS, 'must be at most 15000 (tokens are short-lived)').default(MAX_REDIRECT_TOKEN_LIFETIME_MS),
  VITALS_INTERVAL_MS: positiveInt.default(1_000),
  RTT_PROBE_INTERVAL_MS: positiveInt.default(250),
  RTT_PROBE_SESSIONS: positiveInt.default(8),
  WRITE_BLOCK_THRESHOLD_MS: positiveInt.default(500),
  WRITE_BLOCK_MIN_FRACTION: fraction.default(0.05),
  ERROR_BURST_COUNT: positiveInt.default(20),
  ERROR_BURST_WINDOW_MS: positiveInt.default(1_000),
  /** Where FIN/RST and SYN-retransmit rates come from: the kernel (/proc), the application, or the kernel where readable. */
  TCP_COUNTERS: z.enum(['auto', 'os', 'app']).default('auto'),
  /** Fault injection hooks (/control/faults, GATEWAY_FAULTS) are for tests and chaos only. */
  FAULT_INJECTION: z.enum(['enabled', 'disabled']).default('disabled'),
  /**
   * On SIGTERM, stay up (and registered) until the control plane has migrated every
   * session away, for at most this long; 0 exits at once. On Kubernetes set it a little
   * under the pod's terminationGracePeriodSeconds: the drain then beats the SIGKILL.
   */
  SHUTDOWN_DRAIN_WAIT_MS: z.coerce.number().int().nonnegative().max(3_600_000).default(0),
  GATEWAY_FAULTS: faultList.default([]),
}).superRefine((settings, ctx) => {
  if (settings.SESSION_BACKLOG_BUDGET_BYTES < 2 * settings.SEND_HIGH_WATER_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['SESSION_BACKLOG_BUDGET_BYTES'], message: 'must be at least twice SEND_HIGH_WATER_BYTES (flow control stops at the high-water mark, plus one message)' });
  }
  if (settings.CONTROL_SECRET === settings.REDIRECT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['CONTROL_SECRET'], message: 'must differ from REDIRECT_SECRET (one key, one purpose)' });
  }
  if (settings.FAULT_INJECTION === 'disabled' && settings.GATEWAY_FAULTS.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['GATEWAY_FAULTS'], message: 'faults are listed but FAULT_INJECTION is disabled (set FAULT_INJECTION=enabled)' });
  }
});

export type GatewaySettings = z.infer<typeof GatewaySettingsSchema>;

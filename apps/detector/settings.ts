import { hostname } from 'node:os';
import { z } from 'zod';
import { GATEWAY_ID_PATTERN, controlSecret } from '#core';
import { EtcdSettingsShape, TimelineSettingsShape } from '#etcd';
import { opsListenerSettings } from '#runtime';
import { TemporalSettingsSchema } from '#temporal';

const nonNegativeMs = z.coerce.number().finite().min(0);

export const DetectorProcessSettingsSchema = TemporalSettingsSchema.extend({
  ...opsListenerSettings(9465).shape,
  ...EtcdSettingsShape,
  /** Signs each control-channel upgrade (the fleet's CONTROL_SECRET). */
  CONTROL_SECRET: controlSecret,
  /** Names this detector in logs, detection records and remediation reasons; several may run. */
  DETECTOR_ID: z
    .string()
    .regex(GATEWAY_ID_PATTERN, 'must be lowercase letters, digits, . _ - (max 63)')
    .default(`detector-${hostname().toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 40)}-${process.pid}`),
  /**
   * An RTT spike must also be this many ms above the gateway's baseline: on a LAN a 0.3 ms
   * round trip doubles from scheduling noise alone, which no push client would notice.
   */
  DETECTOR_RTT_SPIKE_FLOOR_MS: nonNegativeMs.default(20),
  /** The failure domain this detector runs in: each gateway's observers are spread over zones. */
  DETECTOR_ZONE: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be lowercase letters, digits, . _ - (max 63)').default('local'),
  /** The detector's membership lease: a detector that dies hands its gateways over about this long later. */
  DETECTOR_LEASE_TTL_SECONDS: z.coerce.number().int().min(1).max(60).default(2),
  /** How long to wait for a control channel's WebSocket handshake before calling it lost. */
  DETECTOR_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  /**
   * Fault injection for tests and the chaos suite only: comma-separated gateway ids this
   * detector acts as if cut off from (its control channel to them never gets through), while
   * the gateways keep serving everyone else. Touches no network: the probes simply fail.
   */
  DETECTOR_PARTITION_FROM: z
    .string()
    .default('')
    .transform((raw) => raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0))
    .pipe(z.array(z.string().regex(GATEWAY_ID_PATTERN, 'each must be a gateway id')).max(1_000))
    .transform((ids) => new Set(ids) as ReadonlySet<string>),
  ...TimelineSettingsShape,
  /** A quiet gateway is still recorded this often (its vitals summary). */
  TIMELINE_PERIOD_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

export type DetectorProcessSettings = z.infer<typeof DetectorProcessSettingsSchema>;

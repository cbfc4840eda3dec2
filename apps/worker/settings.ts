import { z } from 'zod';
import { controlSecret, positiveInt } from '#core';
import { EtcdSettingsShape, TimelineSettingsShape } from '#etcd';
import { K8sSettingsSchema } from '#k8s';
import { opsListenerSettings } from '#runtime';
import { TemporalSettingsSchema } from '#temporal';

export const WorkerSettingsSchema = TemporalSettingsSchema.extend(K8sSettingsSchema.shape).extend({
  ...opsListenerSettings(9464).shape,
  ...EtcdSettingsShape,
  /** The policy lab's timelines: each run's decisions and outcome, and the lease-expiry and Kubernetes triggers. */
  ...TimelineSettingsShape,
  /** Signs the remediation activities' calls to gateways' control endpoints (the fleet's CONTROL_SECRET). */
  CONTROL_SECRET: controlSecret,
  /** Start a remediation when a gateway's lease expires (the backstop signal). */
  WATCH_LEASES: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Make sure the default health-sweep schedule exists at start (the safety net); `off` leaves schedules alone. */
  SWEEP_SCHEDULE: z.enum(['on', 'off']).default('on').transform((v) => v === 'on'),
  /** The default sweep schedule's interval; an existing schedule is brought to it. */
  SWEEP_EVERY_SECONDS: positiveInt.default(30),
  /**
   * Embedded mode: the lease of the worker leader's etcd election. A leader that dies hands the
   * singleton duties (the lease-expiry watcher) over about this long later.
   */
  LEADER_TTL_SECONDS: z.coerce.number().int().min(1).max(60).default(2),
  /**
   * Optional: what can end a gateway process for good when a run fences a wedged gateway
   * (`POST <url>/terminate/<gatewayId>`; the devstack fleet serves one). Without it fencing
   * relies on the agent's self-fence and on clients leaving a silent server by themselves.
   */
  SUPERVISOR_URL: z.string().url('must be a URL like http://127.0.0.1:9000').optional(),
});

export type WorkerSettings = z.infer<typeof WorkerSettingsSchema>;

import { type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { leaseMove } from '#core';
import { type Logger } from '#runtime';
import { type KubeClients, isConflict, isNotFound } from './kube-client.js';
import { type Duty, type LeaderElector, LeaderDuty } from '#core';

export interface KubeLeaseElectorOptions {
  readonly kube: KubeClients;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  /** How long a holder that stopped renewing keeps the lease (default 4 s). */
  readonly leaseDurationMs?: number;
  /** How often the lease is renewed or tried (default 1 s). */
  readonly retryMs?: number;
  readonly log: Logger;
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go does it: the holder
 * renews every `retryMs`; a candidate takes the Lease once the holder has not renewed
 * for `leaseDurationMs`; every write carries the resourceVersion read, so a race has
 * one winner (409 for the other). A leader that cannot renew within the duration steps
 * down before anyone else may take over, so two leaders never overlap.
 */
export class KubeLeaseElector implements LeaderElector {
  private readonly durationMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: KubeLeaseElectorOptions) {
    this.durationMs = options.leaseDurationMs ?? 4_000;
    this.retryMs = options.retryMs ?? 1_000;
  }

  async campaign(duty: Duty): Promise<() => Promise<void>> {
    let lastRenewMs = 0;
    let stopped = false;
    let busy = Promise.resolve();
    const { log, identity } = this.options;
    const held = new LeaderDuty((why) => log.warn({ event: 'leader-lost', identity, why }, 'no longer the leader'));
    const stepDown = (why: string) => held.stepDown(why);
    const tick = async (): Promise<void> => {
      try {
        if (await this.tryHold()) {
          lastRenewMs = Date.now();
          if (!held.running && !stopped) {
            log.info({ event: 'leader-elected', identity, lease: this.options.leaseName }, 'leading');
            await held.start(duty);
          }
        } else await stepDown('another replica holds the lease');
      } catch (err) {
        log.warn({ err }, 'lease not renewed');
      }
      // Step down a little before others may take over (they wait a full duration).
      if (held.running && Date.now() - lastRenewMs > this.durationMs * 0.75) await stepDown('could not renew the lease in time');
    };
    const timer = setInterval(() => (busy = busy.then(tick)), this.retryMs);
    busy = busy.then(tick);
    await busy;
    return async () => {
      stopped = true;
      clearInterval(timer);
      await busy;
      const led = held.running;
      await stepDown('stopping');
      if (led) await this.release().catch((err: unknown) => log.warn({ err }, 'lease not released'));
    };
  }

  /** One attempt: true when this replica holds the lease afterwards. */
  private async tryHold(): Promise<boolean> {
    const { kube, namespace, leaseName: name, identity } = this.options;
    const lease = await kube.coordination.readNamespacedLease({ name, namespace }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    const now = new V1MicroTime();
    const spec = { holderIdentity: identity, leaseDurationSeconds: Math.ceil(this.durationMs / 1_000), renewTime: now };
    if (!lease) {
      return kube.coordination
        .createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: { ...spec, acquireTime: now, leaseTransitions: 0 } } })
        .then(() => true, (error: unknown) => (isConflict(error) ? false : Promise.reject(error)));
    }
    const view = {
      holder: lease.spec?.holderIdentity ?? undefined,
      renewedAtMs: lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : undefined,
      durationMs: (lease.spec?.leaseDurationSeconds ?? 0) * 1_000,
    };
    const move = leaseMove(view, identity, Date.now());
    if (move === 'wait') return false;
    const taking = move === 'take';
    const body: V1Lease = {
      ...lease,
      spec: {
        ...lease.spec,
        ...spec,
        ...(taking ? { acquireTime: now, leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 } : {}),
      },
    };
    return kube.coordination.replaceNamespacedLease({ name, namespace, body }).then(() => true, (error: unknown) => (isConflict(error) ? false : Promise.reject(error)));
  }

  /** Resigning leaves the lease free, so the next replica leads at its next try. */
  private async release(): Promise<void> {
    const { kube, namespace, leaseName: name, identity } = this.options;
    const lease = await kube.coordination.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== identity) return;
    await kube.coordination.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: { ...lease.spec, holderIdentity: undefined, renewTime: undefined } } });
  }
}

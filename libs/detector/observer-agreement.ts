import { type AgreementSettings, type QuorumAssessment, assessObserverQuorum } from '#core';
import { type CorruptRecordError, type FleetRegistry, type ObserverViewStore } from '#etcd';
import { type ObserverShard } from './observer-shard.js';

export interface ObserverAgreementDependencies {
  readonly detectorId: string;
  readonly shard: ObserverShard;
  readonly views: Pick<ObserverViewStore, 'viewsOf'>;
  readonly registry: Pick<FleetRegistry, 'get'>;
  readonly settings: () => AgreementSettings;
  /** Wall clock, as the views' times are. */
  readonly now: () => number;
  readonly onCorrupt: (error: CorruptRecordError) => void;
  readonly onUnreadable: (error: unknown) => void;
}

/**
 * Asks the gateway's other live observers before a crash or hang verdict becomes a removal:
 * reads their views from etcd and lets the pure {@link assessObserverQuorum} decide. When the
 * views cannot be read (etcd away), nobody can vouch for the gateway either, so the check
 * goes on as if none had spoken: after the wait, this observer's verdict stands alone, as
 * with a single detector, and the run's own looks and the guardrails still apply.
 */
export class ObserverAgreement {
  constructor(private readonly deps: ObserverAgreementDependencies) {}

  async assess(gatewayId: string, verdictSinceMs: number): Promise<QuorumAssessment> {
    const { detectorId, shard, views, registry, settings, now } = this.deps;
    const observers = shard.observersOf(gatewayId);
    // Just started, the roster not read yet: alone is not the same as not knowing the others.
    if (observers === undefined) return { verdict: 'waiting', required: 1, agreeing: [detectorId], dissenting: [], silent: [], reason: 'the live detectors are not known yet' };
    const [found, registration] = await Promise.all([
      views.viewsOf(gatewayId, this.deps.onCorrupt).catch((error: unknown) => {
        this.deps.onUnreadable(error);
        return [];
      }),
      registry.get(gatewayId).catch(() => undefined),
    ]);
    return assessObserverQuorum({
      selfId: detectorId,
      gatewayId,
      instanceId: registration?.instanceId ?? null,
      observers,
      views: found,
      verdictSinceMs,
      atMs: now(),
      settings: settings(),
    });
  }
}

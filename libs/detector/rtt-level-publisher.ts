import { type HealthWatchState, type Policy, rttLevelOf } from '#core';
import { type RttLevelStore } from '#etcd';

/** A level changes slowly (it is an EWMA's view); a few seconds between writes keeps etcd quiet. */
const PUBLISH_EVERY_MS = 5_000;

/**
 * Publishes each watched gateway's RTT level (window against learned baseline) to etcd every
 * few seconds, so the remediation workflow and the health sweep can score `rttLevel` as the
 * detector does. A failed write is retried at the next interval; it is never worth more.
 */
export class RttLevelPublisher {
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly detectorId: string,
    private readonly store: RttLevelStore,
    private readonly onError: (error: Error) => void,
  ) {}

  offer(gatewayId: string, health: HealthWatchState, policy: Policy, atMs: number): void {
    if (atMs - (this.lastAt.get(gatewayId) ?? -Infinity) < PUBLISH_EVERY_MS) return;
    const level = rttLevelOf({ gatewayId, detectorId: this.detectorId }, health, policy, atMs);
    if (!level) return;
    this.lastAt.set(gatewayId, atMs);
    this.store.publish(level).catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
  }

  forget(gatewayId: string): void {
    this.lastAt.delete(gatewayId);
  }
}

import { type DetectionClass, type ObserverView, type ObserverViewStatus, observerViewStatus } from '#core';
import { type ObserverViewStore } from '#etcd';
import { type Logger } from '#runtime';

export interface ObserverViewPublisherDependencies {
  readonly detectorId: string;
  readonly store: Pick<ObserverViewStore, 'publish' | 'withdraw'>;
  /** The policy's `detector.agreement.viewFreshMs`: a view is written again every half of it while it stays. */
  readonly viewFreshMs: () => number;
  /** Wall clock: views are compared with other detectors' clocks. */
  readonly now: () => number;
  readonly log: Logger;
}

/** A view that could not be written (etcd away, no lease yet) is tried again this much later. */
const RETRY_AFTER_MS = 1_000;

interface Published {
  view: ObserverView;
  writing: boolean;
  /** Confirmed in etcd (false while writing, or after a write failed or found no lease). */
  written: boolean;
  /** Writes of one gateway's view in order: a newer view is never overtaken by an older one. */
  chain: Promise<void>;
}

/**
 * Publishes this detector's view of each gateway it observes, edge-triggered: offered on every
 * decision, written only when the status (answering / down / unsure), the verdict's
 * classification or the gateway process changes, and again every half `viewFreshMs` so other
 * observers can tell a current view from an old one. A handful of writes per gateway per
 * minute, not one per ping.
 */
export class ObserverViewPublisher {
  private readonly published = new Map<string, Published>();

  constructor(private readonly deps: ObserverViewPublisherDependencies) {}

  offer(gatewayId: string, instanceId: string | null, answering: boolean, classification: DetectionClass | null): void {
    const status: ObserverViewStatus = observerViewStatus(answering, classification);
    const now = this.deps.now();
    const known = this.published.get(gatewayId);
    const same = known !== undefined && known.view.status === status && known.view.classification === classification && known.view.instanceId === instanceId;
    if (same) {
      if (known.writing) return;
      const age = now - known.view.atMs;
      if (age < (known.written ? this.deps.viewFreshMs() / 2 : RETRY_AFTER_MS)) return;
    }
    const view: ObserverView = { detectorId: this.deps.detectorId, gatewayId, instanceId, status, classification, sinceMs: same ? known.view.sinceMs : now, atMs: now };
    this.write(view, known?.chain ?? Promise.resolve());
  }

  /** No longer observed here (handed over, gone): the view is withdrawn at once rather than left to go stale. */
  forget(gatewayId: string): void {
    const known = this.published.get(gatewayId);
    if (!known) return;
    this.published.delete(gatewayId);
    void known.chain.then(() => this.deps.store.withdraw(gatewayId, this.deps.detectorId)).catch((err: unknown) => this.warn(gatewayId, err));
  }

  /** Registered again under a fresh lease: what was published under the old one went with it. */
  republish(): void {
    const now = this.deps.now();
    for (const known of this.published.values()) this.write({ ...known.view, atMs: now }, known.chain);
  }

  private write(view: ObserverView, after: Promise<void>): void {
    const entry: Published = { view, writing: true, written: false, chain: after };
    this.published.set(view.gatewayId, entry);
    entry.chain = after
      .then(() => this.deps.store.publish(view))
      .then(
        (stored) => {
          entry.writing = false;
          entry.written = stored;
        },
        (err: unknown) => {
          entry.writing = false;
          this.warn(view.gatewayId, err);
        },
      );
  }

  private warn(gatewayId: string, err: unknown): void {
    this.deps.log.warn({ event: 'observer-view-not-published', gatewayId, err }, 'observer view not published');
  }
}

import { type Etcd3 } from 'etcd3';
import { MAX_OBSERVER_VIEW_BYTES, type ObserverView, ObserverViewSchema } from '#core';
import { CorruptRecordError, parseRecord } from './json-value.js';
import { OBSERVER_VIEWS_PREFIX, observerViewKey, observerViewsPrefix } from './keys.js';

/** Puts a key under the publishing detector's membership lease (DetectorRoster.putUnderLease). */
export type PutUnderLease = (key: string, value: string) => Promise<boolean>;

/** A gateway has a handful of observers; more records than this under its prefix are not read. */
const MAX_VIEWS_PER_GATEWAY = 16;

/** A fleet-wide read stops here: a few observers for each of 10 000 gateways. */
const MAX_VIEWS_READ = 50_000;

/**
 * `/homeostat/observer-views/<gatewayId>/<detectorId>`: each observer's current view of each
 * gateway it observes, under that observer's lease. Records are input from other processes:
 * size-limited, parsed, and a corrupt one is reported and left out, never fatal.
 */
export class ObserverViewStore {
  constructor(
    private readonly etcd: Etcd3,
    private readonly putUnderLease: PutUnderLease,
  ) {}

  /** False when the detector holds no lease right now (the view is published again once it does). */
  publish(view: ObserverView): Promise<boolean> {
    return this.putUnderLease(observerViewKey(view.gatewayId, view.detectorId), JSON.stringify(view));
  }

  async withdraw(gatewayId: string, detectorId: string): Promise<void> {
    await this.etcd.delete().key(observerViewKey(gatewayId, detectorId));
  }

  async viewsOf(gatewayId: string, onCorrupt: (error: CorruptRecordError) => void): Promise<ObserverView[]> {
    const raw = await this.etcd.getAll().prefix(observerViewsPrefix(gatewayId)).limit(MAX_VIEWS_PER_GATEWAY).strings();
    return this.parsed(raw, onCorrupt);
  }

  /** Every observer's view of every gateway that some observer sees down (storm mode counts them). */
  async down(onCorrupt: (error: CorruptRecordError) => void): Promise<ObserverView[]> {
    const raw = await this.etcd.getAll().prefix(OBSERVER_VIEWS_PREFIX).limit(MAX_VIEWS_READ).strings();
    return this.parsed(raw, onCorrupt).filter((v) => v.status === 'down');
  }

  private parsed(raw: Record<string, string>, onCorrupt: (error: CorruptRecordError) => void): ObserverView[] {
    const views: ObserverView[] = [];
    for (const [key, value] of Object.entries(raw)) {
      try {
        if (Buffer.byteLength(value) > MAX_OBSERVER_VIEW_BYTES) throw new CorruptRecordError(key, `over ${MAX_OBSERVER_VIEW_BYTES} bytes`);
        const view = parseRecord(ObserverViewSchema, key, value);
        if (key !== observerViewKey(view.gatewayId, view.detectorId)) throw new CorruptRecordError(key, `names ${view.detectorId} about ${view.gatewayId}`);
        views.push(view);
      } catch (error) {
        if (!(error instanceof CorruptRecordError)) throw error;
        onCorrupt(error);
      }
    }
    return views;
  }
}

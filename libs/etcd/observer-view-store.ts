import { type Etcd3, type Watcher } from 'etcd3';
import { MAX_OBSERVER_VIEW_BYTES, type ObserverView, ObserverViewSchema } from '#core';
import { CorruptRecordError, parseRecord } from './json-value.js';
import { OBSERVER_VIEWS_PREFIX, observerViewKey, observerViewsPrefix } from './keys.js';

/** Puts a key under the publishing detector's membership lease (DetectorRoster.putUnderLease). */
export type PutUnderLease = (key: string, value: string) => Promise<boolean>;

/** A gateway has a handful of observers; more records than this under its prefix are not read. */
const MAX_VIEWS_PER_GATEWAY = 16;

/** A fleet-wide read stops here: a few observers for each of 10 000 gateways. */
const MAX_VIEWS_READ = 50_000;

/** The views that say "down", as a watch keeps them; `stop` ends the watch. */
export interface DownViews {
  readonly views: () => ObserverView[];
  readonly stop: () => Promise<void>;
}

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

  /**
   * Every observer's view of every gateway that some observer sees down (storm mode counts them),
   * kept current by a watch from one read on: storm mode asks every second,
   * and a read of every view each time (2 000 gateways: 500 KB, from each detector) kept etcd and
   * the detectors so busy that their membership leases lapsed. Between etcd outages the watch
   * resumes where it was (the etcd3 client does that), so the last views known hold meanwhile.
   */
  async followDown(onCorrupt: (error: CorruptRecordError) => void, onError: (error: Error) => void): Promise<DownViews> {
    const down = new Map<string, ObserverView>();
    const apply = (key: string, value: string | undefined): void => {
      const view = value === undefined ? undefined : this.parsedOne(key, value, onCorrupt);
      if (view?.status === 'down') down.set(key, view);
      else down.delete(key);
    };
    const read = await this.etcd.getAll().prefix(OBSERVER_VIEWS_PREFIX).limit(MAX_VIEWS_READ).exec();
    for (const kv of read.kvs) apply(kv.key.toString(), kv.value.toString());
    const watcher: Watcher = await this.etcd
      .watch()
      .prefix(OBSERVER_VIEWS_PREFIX)
      .startRevision(String(BigInt(read.header.revision) + 1n))
      .create();
    watcher.on('put', (kv) => apply(kv.key.toString(), kv.value.toString()));
    watcher.on('delete', (kv) => apply(kv.key.toString(), undefined));
    watcher.on('error', onError);
    return { views: () => [...down.values()], stop: () => watcher.cancel() };
  }

  private parsed(raw: Record<string, string>, onCorrupt: (error: CorruptRecordError) => void): ObserverView[] {
    return Object.entries(raw).flatMap(([key, value]) => this.parsedOne(key, value, onCorrupt) ?? []);
  }

  private parsedOne(key: string, value: string, onCorrupt: (error: CorruptRecordError) => void): ObserverView | undefined {
    try {
      if (Buffer.byteLength(value) > MAX_OBSERVER_VIEW_BYTES) throw new CorruptRecordError(key, `over ${MAX_OBSERVER_VIEW_BYTES} bytes`);
      const view = parseRecord(ObserverViewSchema, key, value);
      if (key !== observerViewKey(view.gatewayId, view.detectorId)) throw new CorruptRecordError(key, `names ${view.detectorId} about ${view.gatewayId}`);
      return view;
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      onCorrupt(error);
      return undefined;
    }
  }
}

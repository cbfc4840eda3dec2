import { z } from 'zod';
import { DETECTION_CLASSES, type DetectionClass } from '../detection/detection-signals.js';

/**
 * What one observer currently sees of one gateway, as far as a removal is concerned:
 * `answering` (a recent pong: alive from where it stands), `down` (its own verdict is a crash
 * or a hang) or `unsure` (neither: connecting, slow, just handed the gateway). Only `down`
 * agrees with a removal, only `answering` speaks against one.
 */
export const OBSERVER_VIEW_STATUSES = ['answering', 'down', 'unsure'] as const;
export type ObserverViewStatus = (typeof OBSERVER_VIEW_STATUSES)[number];

/** The verdicts that say the process is gone or hung: a removal of those needs the observers' quorum. */
export const REMOVAL_CLASSIFICATIONS: ReadonlySet<DetectionClass> = new Set(['crash', 'silent-hang']);

/** What an observer's view reports as `down`: its verdict says the process is gone or hung. */
const DOWN_CLASSIFICATIONS: ReadonlySet<DetectionClass> = new Set([...REMOVAL_CLASSIFICATIONS, 'vanished']);

/** Views are read from etcd, written by other processes: this much and no more per record. */
export const MAX_OBSERVER_VIEW_BYTES = 1_024;

/**
 * `/homeostat/observer-views/<gatewayId>/<detectorId>`, under the detector's membership lease
 * (a dead detector's views vanish with it). Written when the status changes and re-written
 * every half `viewFreshMs` while it stays, never every tick.
 */
export const ObserverViewSchema = z.strictObject({
  detectorId: z.string().min(1).max(128),
  gatewayId: z.string().min(1).max(128),
  /** The gateway process seen (its registration's instanceId): a view of an earlier process does not count. */
  instanceId: z.string().min(1).max(64).nullable(),
  status: z.enum(OBSERVER_VIEW_STATUSES),
  classification: z.enum(DETECTION_CLASSES).nullable(),
  /** Since when the observer has seen it so (ms since epoch, the observer's clock). */
  sinceMs: z.number().int().nonnegative(),
  /** When the record was last written. */
  atMs: z.number().int().nonnegative(),
});
export type ObserverView = z.infer<typeof ObserverViewSchema>;

/** The status an observer publishes: from whether it is answered now and the classification of its current verdict. */
export const observerViewStatus = (answering: boolean, classification: DetectionClass | null): ObserverViewStatus => {
  if (classification !== null && DOWN_CLASSIFICATIONS.has(classification)) return 'down';
  return answering ? 'answering' : 'unsure';
};

import { type Etcd3, Range } from 'etcd3';
import { type TimelineObservation, TimelineObservationSchema } from '#core';
import { TIMELINE_INDEX_PREFIX, idFromKey, timelineIndexKey, timelinePrefix } from './keys.js';
import { parseRecord } from './json-value.js';
import { readRangePaged } from './paged-prefix.js';

/** Retention of the timelines: an age and, per gateway, a count (the size cap). */
export interface TimelineRetention {
  readonly maxAgeMs: number;
  readonly maxEntriesPerGateway: number;
}

export const DEFAULT_TIMELINE_RETENTION: TimelineRetention = Object.freeze({ maxAgeMs: 7 * 24 * 3_600_000, maxEntriesPerGateway: 20_000 });

/** Sorts by time as text: milliseconds with microseconds, zero-padded (good until the year 33658). */
const timeSegment = (atMs: number): string => Math.max(0, atMs).toFixed(3).padStart(18, '0');

export const timelineKey = (o: Pick<TimelineObservation, 'gatewayId' | 'atMs' | 'detectorId'>): string =>
  `${timelinePrefix(o.gatewayId)}${timeSegment(o.atMs)}/${o.detectorId}`;

/**
 * `/homeostat/timelines/<gatewayId>/<time>/<detectorId>`: each gateway's compacted timeline.
 * Several detectors observing one gateway each write their own keys. Unparsable records are
 * skipped and counted, never fatal: a simulation over the rest is still worth having.
 */
export class TimelineStore {
  constructor(private readonly etcd: Etcd3) {}

  /** A batch the recorder gathered; each observation is its own key, so a retry rewrites the same ones. */
  async append(observations: readonly TimelineObservation[]): Promise<void> {
    if (observations.length === 0) return;
    const gateways = [...new Set(observations.map((o) => o.gatewayId))];
    await Promise.all([
      ...observations.map((o) => this.etcd.put(timelineKey(o)).value(JSON.stringify(o))),
      ...gateways.map((id) => this.etcd.put(timelineIndexKey(id)).value('{}')),
    ]);
  }

  async gatewayIds(): Promise<string[]> {
    const keys = await this.etcd.getAll().prefix(TIMELINE_INDEX_PREFIX).keys();
    return keys.map((key) => idFromKey(TIMELINE_INDEX_PREFIX, key)).sort();
  }

  /** A gateway's observations in [fromMs, untilMs], oldest first. */
  async read(gatewayId: string, fromMs: number, untilMs: number): Promise<{ observations: TimelineObservation[]; corrupt: number }> {
    const prefix = timelinePrefix(gatewayId);
    // '0' sorts just after '/': the end takes in every detector's key at `untilMs`.
    const end = Buffer.from(`${prefix}${timeSegment(untilMs)}0`);
    const raw = await readRangePaged(this.etcd, Buffer.from(`${prefix}${timeSegment(fromMs)}`), end);
    const observations: TimelineObservation[] = [];
    let corrupt = 0;
    for (const [key, value] of Object.entries(raw)) {
      try {
        observations.push(parseRecord(TimelineObservationSchema, key, value));
      } catch {
        corrupt += 1;
      }
    }
    return { observations, corrupt };
  }

  /** Drops what is older than the retention, then the oldest beyond the per-gateway cap. */
  async prune(gatewayId: string, nowMs: number, retention: TimelineRetention): Promise<void> {
    const prefix = timelinePrefix(gatewayId);
    await this.etcd.delete().range(new Range(prefix, `${prefix}${timeSegment(nowMs - retention.maxAgeMs)}`)).exec();
    const count = await this.etcd.getAll().prefix(prefix).count();
    const excess = count - retention.maxEntriesPerGateway;
    if (excess <= 0) return;
    const oldest = await this.etcd.getAll().prefix(prefix).sort('Key', 'Ascend').limit(excess).keys();
    const last = oldest.at(-1);
    if (last !== undefined) await this.etcd.delete().range(new Range(prefix, `${last}\u0000`)).exec();
  }
}

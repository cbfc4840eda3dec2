import { type Etcd3, Range } from 'etcd3';
import { z } from 'zod';
import { type TimelineEvent, TimelineEventSchema, type TimelineObservation, TimelineObservationSchema, timelineEventAt } from '#core';
import { TIMELINE_INDEX_PREFIX, idFromKey, timelineEventsPrefix, timelineIndexKey, timelinePrefix } from './keys.js';
import { parseRecord } from './json-value.js';
import { readRangePaged } from './paged-prefix.js';

/** Retention of the timelines: an age and, per gateway, a count of observations and of events (the size caps). */
export interface TimelineRetention {
  readonly maxAgeMs: number;
  readonly maxEntriesPerGateway: number;
  readonly maxEventsPerGateway: number;
}

export const DEFAULT_TIMELINE_RETENTION: TimelineRetention = Object.freeze({ maxAgeMs: 7 * 24 * 3_600_000, maxEntriesPerGateway: 20_000, maxEventsPerGateway: 2_000 });

/** Larger than any record the schemas allow (a run's at most ~30 KB): anything bigger is not read at all. */
const MAX_RECORD_CHARS = 64 * 1024;

/** Sorts by time as text: milliseconds with microseconds, zero-padded (good until the year 33658). */
const timeSegment = (atMs: number): string => Math.max(0, atMs).toFixed(3).padStart(18, '0');

export const timelineKey = (o: Pick<TimelineObservation, 'gatewayId' | 'atMs' | 'detectorId'>): string =>
  `${timelinePrefix(o.gatewayId)}${timeSegment(o.atMs)}/${o.detectorId}`;

/** One key per run (its run id) and per trigger firing: a retried write puts the same key again. */
export const timelineEventKey = (e: TimelineEvent): string =>
  `${timelineEventsPrefix(e.gatewayId)}${timeSegment(timelineEventAt(e))}/${e.kind === 'run' ? `run:${e.runId}` : `trigger:${e.trigger}:${e.source}`}`;

/** The keys of one gateway's prefix in [fromMs, untilMs]; '0' sorts just after '/', so the end takes in every key at `untilMs`. */
const timeRange = (prefix: string, fromMs: number, untilMs: number): [Buffer, Buffer] => [
  Buffer.from(`${prefix}${timeSegment(fromMs)}`),
  Buffer.from(`${prefix}${timeSegment(untilMs)}0`),
];

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

  /** A run's ending or a trigger (validated before it is written, so what is stored reads back). */
  async recordEvent(event: TimelineEvent): Promise<void> {
    const valid = TimelineEventSchema.parse(event);
    await Promise.all([this.etcd.put(timelineEventKey(valid)).value(JSON.stringify(valid)), this.etcd.put(timelineIndexKey(valid.gatewayId)).value('{}')]);
  }

  /** Records an event and trims the gateway's events to the retention: what the worker does as it writes. */
  async recordTrimmed(event: TimelineEvent, nowMs: number, retention: TimelineRetention): Promise<void> {
    await this.recordEvent(event);
    await this.pruneEvents(event.gatewayId, nowMs, retention);
  }

  async gatewayIds(): Promise<string[]> {
    const keys = await this.etcd.getAll().prefix(TIMELINE_INDEX_PREFIX).keys();
    return keys.map((key) => idFromKey(TIMELINE_INDEX_PREFIX, key)).sort();
  }

  /** A gateway's observations in [fromMs, untilMs], oldest first. */
  async read(gatewayId: string, fromMs: number, untilMs: number): Promise<{ observations: TimelineObservation[]; corrupt: number }> {
    const { records, corrupt } = await this.readRange(TimelineObservationSchema, timelinePrefix(gatewayId), fromMs, untilMs);
    return { observations: records, corrupt };
  }

  /** A gateway's runs and triggers that fired in [fromMs, untilMs], oldest first. */
  async readEvents(gatewayId: string, fromMs: number, untilMs: number): Promise<{ events: TimelineEvent[]; corrupt: number }> {
    const { records, corrupt } = await this.readRange(TimelineEventSchema, timelineEventsPrefix(gatewayId), fromMs, untilMs);
    return { events: records, corrupt };
  }

  private async readRange<S extends z.ZodType>(schema: S, prefix: string, fromMs: number, untilMs: number): Promise<{ records: z.output<S>[]; corrupt: number }> {
    const [from, until] = timeRange(prefix, fromMs, untilMs);
    const raw = await readRangePaged(this.etcd, from, until);
    const records: z.output<S>[] = [];
    let corrupt = 0;
    for (const [key, value] of Object.entries(raw)) {
      if (value.length > MAX_RECORD_CHARS) {
        corrupt += 1;
        continue;
      }
      try {
        records.push(parseRecord(schema, key, value));
      } catch {
        corrupt += 1;
      }
    }
    return { records, corrupt };
  }

  /**
   * Drops what is older than the retention, then the oldest beyond the per-gateway caps: the
   * detector's observations and the runs and triggers (the worker trims those as it writes, this
   * also ages out a gateway's that no longer gets any).
   */
  async prune(gatewayId: string, nowMs: number, retention: TimelineRetention): Promise<void> {
    await this.pruneRange(timelinePrefix(gatewayId), nowMs - retention.maxAgeMs, retention.maxEntriesPerGateway);
    await this.pruneEvents(gatewayId, nowMs, retention);
  }

  /** The same for a gateway's runs and triggers only. */
  async pruneEvents(gatewayId: string, nowMs: number, retention: TimelineRetention): Promise<void> {
    await this.pruneRange(timelineEventsPrefix(gatewayId), nowMs - retention.maxAgeMs, retention.maxEventsPerGateway);
  }

  private async pruneRange(prefix: string, olderThanMs: number, cap: number): Promise<void> {
    await this.etcd.delete().range(new Range(prefix, `${prefix}${timeSegment(olderThanMs)}`)).exec();
    const count = await this.etcd.getAll().prefix(prefix).count();
    const excess = count - cap;
    if (excess <= 0) return;
    const oldest = await this.etcd.getAll().prefix(prefix).sort('Key', 'Ascend').limit(excess).keys();
    const last = oldest.at(-1);
    if (last !== undefined) await this.etcd.delete().range(new Range(prefix, `${last}\u0000`)).exec();
  }
}

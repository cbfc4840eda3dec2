import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { type TimelineEvent } from '#core';
import { type TimelineRetention, TimelineStore } from './timeline-store.js';

/**
 * The policy lab's timelines (docs/policy-lab.md), the same on the detector (observations) and
 * the worker (runs and triggers): whether they are recorded, and their retention.
 */
export const TimelineSettingsShape = {
  /** `off` records none. */
  TIMELINES: z.enum(['on', 'off']).default('on'),
  /** How long a gateway's timeline is kept, and how many observations and events (runs, triggers) at most per gateway. */
  TIMELINE_RETENTION_HOURS: z.coerce.number().positive().max(24 * 366).default(168),
  TIMELINE_MAX_ENTRIES_PER_GATEWAY: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  TIMELINE_MAX_EVENTS_PER_GATEWAY: z.coerce.number().int().min(10).max(100_000).default(2_000),
};

type TimelineSettings = z.infer<z.ZodObject<typeof TimelineSettingsShape>>;

export const timelineRetentionOf = (settings: TimelineSettings): TimelineRetention => ({
  maxAgeMs: settings.TIMELINE_RETENTION_HOURS * 3_600_000,
  maxEntriesPerGateway: settings.TIMELINE_MAX_ENTRIES_PER_GATEWAY,
  maxEventsPerGateway: settings.TIMELINE_MAX_EVENTS_PER_GATEWAY,
});

/** What the worker writes runs' endings and triggers with: the store and the retention it trims to as it writes. */
export class TimelineWriter {
  private readonly store: TimelineStore;

  constructor(
    etcd: Etcd3,
    private readonly retention: TimelineRetention,
    private readonly now: () => number = Date.now,
  ) {
    this.store = new TimelineStore(etcd);
  }

  record(event: TimelineEvent): Promise<void> {
    return this.store.recordTrimmed(event, this.now(), this.retention);
  }
}

/** The writer the settings ask for: none with `TIMELINES=off`. */
export const timelineWriterOf = (etcd: Etcd3, settings: TimelineSettings): TimelineWriter | undefined =>
  settings.TIMELINES === 'on' ? new TimelineWriter(etcd, timelineRetentionOf(settings)) : undefined;

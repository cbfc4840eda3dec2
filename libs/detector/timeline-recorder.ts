import {
  type CompactionSettings,
  type GatewayDecision,
  type GatewaySnapshot,
  type MaterialObservation,
  type Policy,
  type TimelineObservation,
  completeObservation,
  materialObservationOf,
  worthRecording,
} from '#core';
import { type TimelineRetention, type TimelineStore } from '#etcd';
import { type Logger } from '#runtime';

export interface TimelineRecorderSettings {
  readonly compaction: CompactionSettings;
  readonly retention: TimelineRetention;
  /** Observations gathered meanwhile are written together this often. */
  readonly flushMs: number;
  /** Each gateway's timeline is trimmed to the retention this often. */
  readonly pruneEveryMs: number;
}

export interface TimelineRecorderDependencies {
  readonly store: TimelineStore;
  readonly detectorId: string;
  readonly policy: () => Policy;
  readonly shadow: () => boolean;
  readonly rttSpikeFloorMs: number;
  readonly log: Logger;
  /** Wall clock, for retention. */
  readonly now: () => number;
  readonly settings: TimelineRecorderSettings;
}

/** An etcd outage must not grow the detector without bound: beyond this, the oldest unwritten observations go. */
const MAX_UNWRITTEN = 10_000;

/**
 * Keeps each watched gateway's timeline for the policy lab: of the decisions the detector makes
 * every ping, those that change something (compaction in libs/core/policy-lab), written to etcd
 * in batches, off the detection path — a slow or absent etcd delays the timeline, never a decision.
 */
export class TimelineRecorder {
  private readonly last = new Map<string, MaterialObservation>();
  private readonly lastPruned = new Map<string, number>();
  private unwritten: TimelineObservation[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: TimelineRecorderDependencies) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.deps.settings.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  observe(gatewayId: string, streamSinceMs: number, snapshot: GatewaySnapshot, decision: GatewayDecision): void {
    const { detectorId, rttSpikeFloorMs } = this.deps;
    const ctx = { gatewayId, detectorId, streamSinceMs, policy: this.deps.policy(), shadowFlag: this.deps.shadow(), rttSpikeFloorMs };
    // Called at every ping of every gateway: the whole observation is built only for the few kept.
    const material = materialObservationOf(ctx, snapshot, decision);
    if (!worthRecording(this.last.get(gatewayId), material, this.deps.settings.compaction)) return;
    this.last.set(gatewayId, material);
    this.unwritten.push(completeObservation(material, ctx, snapshot));
    if (this.unwritten.length > MAX_UNWRITTEN) {
      this.dropped += this.unwritten.length - MAX_UNWRITTEN;
      this.unwritten = this.unwritten.slice(-MAX_UNWRITTEN);
    }
  }

  /** Writes what was gathered; one flush at a time, so batches land in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.unwritten;
    this.unwritten = [];
    try {
      await this.deps.store.append(batch);
      await this.pruneDue(batch);
    } catch (err) {
      // Kept for the next flush (bounded above): the timeline is late, not lost, over a short outage.
      this.unwritten = [...batch, ...this.unwritten].slice(-MAX_UNWRITTEN);
      this.deps.log.warn({ event: 'timeline-write-failed', err, observations: batch.length, dropped: this.dropped }, 'could not write the timeline to etcd');
    }
  }

  private async pruneDue(batch: readonly TimelineObservation[]): Promise<void> {
    const now = this.deps.now();
    for (const gatewayId of new Set(batch.map((o) => o.gatewayId))) {
      if (now - (this.lastPruned.get(gatewayId) ?? 0) < this.deps.settings.pruneEveryMs) continue;
      this.lastPruned.set(gatewayId, now);
      await this.deps.store.prune(gatewayId, now, this.deps.settings.retention);
    }
  }
}

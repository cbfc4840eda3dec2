import { type FleetMember, type StormSettings, type StormState, type StormSuspect, assessStorm } from '#core';
import { type StormRecords, type StormStore } from '#etcd';
import { type DetectorMetrics, type Logger } from '#runtime';

export interface StormWatchDependencies {
  readonly store: Pick<StormStore, 'read' | 'begin' | 'update' | 'lift'>;
  /** Gateways other observers see down now, and since when (their published views). */
  readonly downElsewhere: () => Promise<readonly StormSuspect[]>;
  /** The registered fleet with its zones. */
  readonly fleet: () => Promise<readonly FleetMember[]>;
  readonly settings: () => StormSettings;
  /** Wall clock: suspects from other detectors carry their clocks. */
  readonly now: () => number;
  /** Starts (or joins) the storm's `needs-human` run; tried again on the next refresh when it fails. */
  readonly announce: (storm: StormState) => Promise<unknown>;
  readonly log: Logger;
  readonly metrics?: Pick<DetectorMetrics, 'storm' | 'removalPausedByStorm'>;
  /** How often etcd is read (the storm record, other observers' views, the fleet); default 1 000 ms. */
  readonly refreshMs?: number;
}

export type StormAdmission = { readonly paused: false } | { readonly paused: true; readonly storm: StormState };

/**
 * Storm mode on a detector's side: every removal this detector is about to start is first
 * admitted here. Its own suspects count at once (no etcd round trip on the way to a removal);
 * other observers' suspects and the storm record itself are read every `refreshMs`. The
 * removal that tips the fleet (or a zone) over the policy's fraction begins the storm instead
 * of acting: the record goes to etcd (the first detector's wins), the storm's run is started,
 * and from then on removals pause until the storm lifts after its quiet period (any detector
 * may lift it) or an admin lifts it. While etcd cannot be read, the last state known holds: a
 * hiccup neither begins nor ends a storm on its own.
 */
export class StormWatch {
  /** This detector's suspects: since when each gateway has been one (until it is fine again). */
  private readonly mine = new Map<string, number>();
  /** Every gateway seen registered within the window, with its zone (a dead one leaves the registry soon). */
  private readonly members = new Map<string, { zone: string; seenAtMs: number }>();
  private elsewhere: readonly StormSuspect[] = [];
  private current: StormState | null = null;
  private liftedAtMs = 0;
  /** A storm begun here that etcd has not confirmed yet. */
  private unsaved: StormState | null = null;
  private announcedSinceMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  /** The write of a storm begun here, so stopping waits for it (nothing lands in etcd after stop). */
  private saving: Promise<void> | undefined;
  private unreadable = false;

  constructor(private readonly deps: StormWatchDependencies) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
    await this.saving;
  }

  /** The storm on now, as this detector last knew it. */
  get storm(): StormState | null {
    return this.current;
  }

  /** May this detector start a removal of `gatewayId` now? Makes it a suspect either way. */
  admit(gatewayId: string): StormAdmission {
    const now = this.deps.now();
    if (!this.mine.has(gatewayId)) this.mine.set(gatewayId, now);
    if (!this.current) {
      const step = assessStorm({ fleet: this.fleet(), suspects: this.suspects(), current: null, atMs: now, settings: this.deps.settings() });
      if (step.kind === 'began') this.begin(step.storm);
    }
    if (!this.current) return { paused: false };
    this.deps.metrics?.removalPausedByStorm();
    return { paused: true, storm: this.current };
  }

  /** The gateway is fine again (or gone for good): no longer one of this detector's suspects. */
  clear(gatewayId: string): void {
    this.mine.delete(gatewayId);
  }

  private fleet(): FleetMember[] {
    return [...this.members].map(([id, { zone }]) => ({ id, zone }));
  }

  private suspects(): StormSuspect[] {
    const all = [...this.elsewhere, ...[...this.mine].map(([gatewayId, sinceMs]) => ({ gatewayId, sinceMs }))];
    return all.filter((s) => s.sinceMs > this.liftedAtMs);
  }

  private begin(storm: StormState): void {
    this.current = storm;
    this.unsaved = storm;
    this.deps.log.warn({ event: 'storm-began', storm }, `storm mode: automatic removals paused (${storm.reason})`);
    this.deps.metrics?.storm(storm.scope);
    this.saving = this.save();
  }

  /** Writes a storm begun here; another detector's storm, begun first, becomes this one's. */
  private async save(): Promise<void> {
    const storm = this.unsaved;
    if (!storm) return;
    try {
      const began = await this.deps.store.begin(storm);
      this.unsaved = null;
      if (!began) this.adopt(await this.deps.store.read());
    } catch (err) {
      this.deps.log.warn({ event: 'storm-not-saved', err }, 'storm not written to etcd yet; removals stay paused here, tried again shortly');
    }
    await this.announceOnce();
  }

  private async announceOnce(): Promise<void> {
    const storm = this.current;
    if (!storm || this.unsaved || this.announcedSinceMs === storm.sinceMs) return;
    try {
      const run = await this.deps.announce(storm);
      this.announcedSinceMs = storm.sinceMs;
      this.deps.log.info({ event: 'storm-run', storm: storm.scope, run }, 'storm run started (or joined)');
    } catch (err) {
      this.deps.log.warn({ event: 'storm-run-not-started', err }, 'storm run not started yet; tried again shortly');
    }
  }

  private adopt(records: StormRecords): void {
    if (records.lift) this.liftedAtMs = Math.max(this.liftedAtMs, records.lift.atMs);
    const before = this.current;
    this.current = records.storm;
    if (before?.sinceMs !== this.current?.sinceMs) this.deps.metrics?.storm(this.current?.scope);
    if (before && !this.current) this.deps.log.info({ event: 'storm-over', storm: before.scope }, 'storm over: automatic removals resume');
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.readAndDecide().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async readAndDecide(): Promise<void> {
    let records: StormRecords;
    try {
      const [read, fleet, elsewhere] = await Promise.all([this.deps.store.read(), this.deps.fleet(), this.deps.downElsewhere()]);
      records = read;
      this.remember(fleet);
      this.elsewhere = elsewhere;
      if (this.unreadable) this.deps.log.info({ event: 'storm-readable' }, 'storm state readable again');
      this.unreadable = false;
    } catch (err) {
      if (!this.unreadable) this.deps.log.warn({ event: 'storm-unreadable', err }, 'storm state unreadable: the last state known holds');
      this.unreadable = true;
      return;
    }
    if (this.unsaved) return this.save();
    this.adopt(records);
    await this.keepOrLift();
    await this.announceOnce();
  }

  private remember(fleet: readonly FleetMember[]): void {
    const now = this.deps.now();
    for (const member of fleet) this.members.set(member.id, { zone: member.zone, seenAtMs: now });
    const windowMs = this.deps.settings().windowMs;
    for (const [id, member] of this.members) if (now - member.seenAtMs > windowMs) this.members.delete(id);
  }

  /** While a storm is on: its suspects kept current, or, after its quiet period, lifted. */
  private async keepOrLift(): Promise<void> {
    const storm = this.current;
    if (!storm) return;
    const now = this.deps.now();
    const step = assessStorm({ fleet: this.fleet(), suspects: this.suspects(), current: storm, atMs: now, settings: this.deps.settings() });
    try {
      if (step.kind === 'lifted') {
        const lifted = await this.deps.store.lift({ atMs: now, by: 'quiet', reason: step.reason }, storm.sinceMs);
        if (lifted) this.deps.log.info({ event: 'storm-lifted', storm: storm.scope, why: step.reason }, `storm lifted: ${step.reason}`);
        this.adopt(await this.deps.store.read());
      } else if (step.kind === 'continues' && (step.storm.lastSuspectAtMs > storm.lastSuspectAtMs || step.storm.suspects.length !== storm.suspects.length)) {
        await this.deps.store.update(step.storm);
        this.current = step.storm;
      }
    } catch (err) {
      this.deps.log.warn({ event: 'storm-not-updated', err }, 'storm record not updated; tried again shortly');
    }
  }
}

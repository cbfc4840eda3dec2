import {
  type HealthWatchState,
  type GatewayChannelFrame,
  type GatewayDecision,
  type GatewayRegistration,
  type GatewaySnapshot,
  type GatewayVitals,
  type Policy,
  type StalledWithin,
  INITIAL_AVAILABILITY_STATE,
  INITIAL_HEALTH_WATCH_STATE,
  INITIAL_PROBE_STATE,
  INITIAL_SELF_REPORT_STATE,
  applySelfReport,
  decideForGateway,
  errorBurstActive,
  isAnswering,
  expireOverduePings,
  recordAnswer,
  recordPingSent,
  recordPong,
  recordProbeMisses,
  recordTransportLost,
  recordTransportUp,
  rttWindowSize,
  stepHealthWatch,
  summariseAvailability,
} from '#core';
import { type Logger } from '#runtime';
import { ControlChannel, controlChannelUrl } from './control-channel.js';
import { MonitorJournal } from './monitor-journal.js';

export interface MonitorContext {
  readonly policy: () => Policy;
  /** The fleet-wide shadow switch (a degrade flag), on top of the policy's own mode. */
  readonly shadow: () => boolean;
  readonly rttSpikeFloorMs: number;
  readonly connectTimeoutMs: number;
  readonly controlSecret: string;
  /** Fault injection: gateways this detector is cut off from (DETECTOR_PARTITION_FROM), though they keep serving. */
  readonly partitionedFrom?: ReadonlySet<string>;
  readonly log: Logger;
  /** How long the detector itself stood still in a span: not held against the gateway. */
  readonly stalledWithin: StalledWithin;
  readonly onDecision: (gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision) => void;
  /** Each judged window, for publishing the RTT level (see RttLevelPublisher). */
  readonly onHealth?: (gatewayId: string, health: HealthWatchState, atMs: number) => void;
}

/** Sub-millisecond and monotonic, on the epoch scale so it still reads as a time. */
export const detectorClock = (): number => performance.timeOrigin + performance.now();

/** A channel refused or lost is retried this fast at first, backing off to the maximum. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** A gateway without a control channel is asked again now and then: it may be upgraded. */
const UNSUPPORTED_RETRY_MS = 10_000;

/**
 * Watches one gateway: pings it every `pingIntervalMs` over its control channel, folds
 * pongs, self-reports and vitals into the pure detection state, and hands each decision
 * to the responder. The tick sends first and judges in `setImmediate`, after the event
 * loop has read any pongs already waiting in the socket.
 */
export class GatewayMonitor {
  private probe = INITIAL_PROBE_STATE;
  private reports = INITIAL_SELF_REPORT_STATE;
  private health = INITIAL_HEALTH_WATCH_STATE;
  private availability = INITIAL_AVAILABILITY_STATE;
  private vitals: GatewayVitals | undefined;
  private leaseExpired = false;
  private channel: ControlChannel | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 0;
  private nextPingId = 0;
  private stopped = false;
  /** When what this monitor learned began: a new process of the gateway starts it afresh. */
  private since = detectorClock();
  private readonly journal: MonitorJournal;

  constructor(
    private registration: GatewayRegistration,
    private readonly ctx: MonitorContext,
  ) {
    this.journal = new MonitorJournal(ctx.log.child({ gatewayId: registration.id }), detectorClock());
  }

  get gatewayId(): string {
    return this.registration.id;
  }

  get current(): GatewayRegistration {
    return this.registration;
  }

  /** Identifies this monitor's stream of decisions in a timeline (alarm and baseline start over with a new one). */
  get streamSinceMs(): number {
    return this.since;
  }

  /** The fast path shows the gateway alive now (healthy, a recent pong). */
  get answering(): boolean {
    const now = detectorClock();
    const since = this.probe.lastPongAtMs ?? now;
    return isAnswering(this.probe, now - this.ctx.stalledWithin(since, now), this.ctx.policy().detector);
  }

  start(): void {
    this.connect();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.tickTimer);
    clearTimeout(this.reconnectTimer);
    this.channel?.close();
  }

  /**
   * The same process registered again (its lease lapsed: an etcd blip, a pause): what the
   * monitor learned stays, and the channel is kept unless the gateway moved.
   */
  refresh(registration: GatewayRegistration): void {
    const moved = registration.controlUrl !== this.registration.controlUrl;
    this.registration = registration;
    if (!moved) return;
    this.channel?.close();
    clearTimeout(this.reconnectTimer);
    this.connect();
  }

  /** Same id registered by a new process: a new channel and a clean slate. */
  replace(registration: GatewayRegistration): void {
    this.registration = registration;
    this.probe = INITIAL_PROBE_STATE;
    this.reports = INITIAL_SELF_REPORT_STATE;
    this.health = INITIAL_HEALTH_WATCH_STATE;
    this.availability = INITIAL_AVAILABILITY_STATE;
    this.leaseExpired = false;
    this.since = detectorClock();
    this.journal.restart();
    this.channel?.close();
    clearTimeout(this.reconnectTimer);
    this.connect();
  }

  /** Re-arms the ping timer when a new policy changes the interval. */
  reschedule(): void {
    if (!this.stopped) this.schedule();
  }

  onVitals(vitals: GatewayVitals): void {
    // Watch events and the initial read may cross; the newest snapshot wins.
    if (!this.vitals || vitals.at >= this.vitals.at) this.vitals = vitals;
  }

  /** The backstop: the lease ran out. Decides once more with that fact, then the caller stops us. */
  leaseRanOut(): void {
    this.leaseExpired = true;
    this.decide(detectorClock());
  }

  private schedule(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = setInterval(() => this.tick(), this.ctx.policy().detector.pingIntervalMs);
  }

  private connect(): void {
    const channel = new ControlChannel(
      controlChannelUrl(this.registration.controlUrl),
      {
        onOpen: () => this.onOpen(channel),
        onFrame: (frame, at) => this.onFrame(frame, at),
        onLost: (cause) => this.onLost(channel, cause),
        onUnsupported: (reason) => this.onUnsupported(channel, reason),
        onBadFrame: (raw) => this.journal.badFrame(raw),
      },
      detectorClock,
      { connectTimeoutMs: this.ctx.connectTimeoutMs, secret: this.ctx.controlSecret, partitioned: this.ctx.partitionedFrom?.has(this.registration.id) === true },
    );
    this.channel = channel;
    channel.open();
  }

  private onOpen(channel: ControlChannel): void {
    if (channel !== this.channel) return;
    this.reconnectDelayMs = 0;
    this.probe = recordTransportUp(this.probe).state;
    this.journal.channelOpen();
  }

  private onLost(channel: ControlChannel, cause: string): void {
    if (channel !== this.channel || this.stopped) return;
    const step = recordTransportLost(this.probe, cause, detectorClock());
    this.probe = step.state;
    this.journal.probeEvents(step.events, this.probe);
    // L3 is acted on at once, not at the next tick.
    this.decide(detectorClock());
    this.retry(Math.min(MAX_RECONNECT_DELAY_MS, Math.max(this.ctx.policy().detector.pingIntervalMs, this.reconnectDelayMs * 2)));
  }

  private onUnsupported(channel: ControlChannel, reason: string): void {
    if (channel !== this.channel || this.stopped) return;
    this.journal.channelUnsupported(reason);
    this.retry(UNSUPPORTED_RETRY_MS);
  }

  private retry(delayMs: number): void {
    this.reconnectDelayMs = delayMs;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delayMs);
  }

  private onFrame(frame: GatewayChannelFrame, atMs: number): void {
    if (frame.t === 'pong') {
      const settings = this.ctx.policy().detector;
      const before = this.probe;
      const step = recordPong(before, frame, atMs, settings, this.ctx.stalledWithin);
      const accepted = step.state !== before;
      if (accepted) {
        this.availability = recordProbeMisses(this.availability, step.events, before.pending, atMs, settings.availability);
        // A late pong ends the silence, but does not count as answered in time (its ping was, or is now, a miss).
        const onTime = (step.state.rttsMs.at(-1) ?? Infinity) <= settings.pongTimeoutMs && !step.events.some((e) => e.kind === 'miss');
        this.availability = recordAnswer(this.availability, onTime, atMs, settings.availability);
      }
      this.probe = step.state;
      this.journal.probeEvents(step.events, this.probe);
      if (accepted) this.journal.pong(this.probe);
      return;
    }
    this.reports = applySelfReport(this.reports, frame, atMs);
    this.journal.selfReport(frame);
    // Self-reports are acted on at once, not at the next tick.
    this.decide(atMs);
  }

  private tick(): void {
    const policy = this.ctx.policy();
    const id = this.nextPingId++;
    const sentAt = detectorClock();
    if (this.channel?.send({ t: 'ping', id, sentAt })) this.probe = recordPingSent(this.probe, id, sentAt, policy.detector);
    setImmediate(() => this.judge());
  }

  private judge(): void {
    if (this.stopped) return;
    const policy = this.ctx.policy();
    const atMs = detectorClock();
    const expired = expireOverduePings(this.probe, atMs, policy.detector, this.ctx.stalledWithin);
    this.availability = recordProbeMisses(this.availability, expired.events, this.probe.pending, atMs, policy.detector.availability);
    this.probe = expired.state;
    this.journal.probeEvents(expired.events, this.probe);
    const signalling = this.reports.writeBlocked || errorBurstActive(this.reports, atMs, policy.hysteresis.clearAfterMs);
    const input = { probe: this.probe, vitals: this.vitals, availability: this.availability, signalling, atMs };
    const step = stepHealthWatch(this.health, input, policy, this.ctx.rttSpikeFloorMs);
    this.health = step.state;
    this.ctx.onHealth?.(this.gatewayId, this.health, atMs);
    this.journal.health(step);
    const summarise = () => summariseAvailability(this.availability, atMs, policy.detector.availability);
    this.journal.summariseEvery(atMs, this.probe, this.health, rttWindowSize(policy.detector.pingIntervalMs), summarise);
    this.decide(atMs);
  }

  private decide(atMs: number): void {
    const snapshot: GatewaySnapshot = {
      probe: this.probe,
      reports: this.reports,
      health: this.health,
      vitals: this.vitals,
      availability: this.availability,
      leaseExpired: this.leaseExpired,
      atMs,
    };
    this.ctx.onDecision(this.gatewayId, snapshot, decideForGateway(snapshot, this.ctx.policy(), { shadow: this.ctx.shadow() }));
  }
}

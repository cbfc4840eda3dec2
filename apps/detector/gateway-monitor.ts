import {
  type GatewayDecision,
  type GatewayRegistration,
  type GatewaySnapshot,
  type GatewayVitals,
  type Policy,
  type ProbeEvent,
  INITIAL_HEALTH_WATCH_STATE,
  INITIAL_PROBE_STATE,
  INITIAL_SELF_REPORT_STATE,
  applySelfReport,
  decideForGateway,
  errorBurstActive,
  expireOverduePings,
  forgiveDetectorStall,
  median,
  recordPingSent,
  recordPong,
  recordTransportLost,
  recordTransportUp,
  rttWindowSize,
  stepHealthWatch,
  type GatewayChannelFrame,
} from '#core';
import { type Logger } from '#runtime';
import { ControlChannel, controlChannelUrl } from './control-channel.js';

export interface MonitorContext {
  readonly policy: () => Policy;
  /** The fleet-wide shadow switch (a degrade flag), on top of the policy's own mode. */
  readonly shadow: () => boolean;
  readonly rttSpikeFloorMs: number;
  readonly connectTimeoutMs: number;
  readonly log: Logger;
  readonly onDecision: (gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision) => void;
}

/** Sub-millisecond and monotonic, on the epoch scale so it still reads as a time. */
export const detectorClock = (): number => performance.timeOrigin + performance.now();

/** A channel refused or lost is retried this fast at first, backing off to the maximum. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** A gateway without a control channel is asked again now and then: it may be upgraded. */
const UNSUPPORTED_RETRY_MS = 10_000;
/** How often each gateway's probe figures are logged: what the detector sees, without a line per ping. */
const SUMMARY_EVERY_MS = 5_000;

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
  private vitals: GatewayVitals | undefined;
  private leaseExpired = false;
  private channel: ControlChannel | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 0;
  private nextPingId = 0;
  private lastTickAtMs: number | null = null;
  private lastSummaryAtMs = detectorClock();
  private readonly counts = { pongs: 0, misses: 0 };
  /** The first pong on a fresh channel is logged: from then on the gateway is really being watched. */
  private awaitingFirstPong = false;
  private baselineAnnounced = false;
  private stopped = false;
  private log: Logger;

  constructor(
    private registration: GatewayRegistration,
    private readonly ctx: MonitorContext,
  ) {
    this.log = ctx.log.child({ gatewayId: registration.id });
  }

  get gatewayId(): string {
    return this.registration.id;
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

  /** Same id registered again: a new process, so a new channel and a clean slate. */
  replace(registration: GatewayRegistration): void {
    this.registration = registration;
    this.probe = INITIAL_PROBE_STATE;
    this.reports = INITIAL_SELF_REPORT_STATE;
    this.health = INITIAL_HEALTH_WATCH_STATE;
    this.baselineAnnounced = false;
    this.leaseExpired = false;
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
        onBadFrame: (raw) => this.log.warn({ event: 'bad-frame', raw }, 'unparseable control channel frame'),
      },
      detectorClock,
      this.ctx.connectTimeoutMs,
    );
    this.channel = channel;
    channel.open();
  }

  private onOpen(channel: ControlChannel): void {
    if (channel !== this.channel) return;
    this.reconnectDelayMs = 0;
    this.probe = recordTransportUp(this.probe).state;
    this.awaitingFirstPong = true;
    this.log.info({ event: 'channel-open' }, 'control channel open');
  }

  private onLost(channel: ControlChannel, cause: string): void {
    if (channel !== this.channel || this.stopped) return;
    const step = recordTransportLost(this.probe, cause, detectorClock());
    this.probe = step.state;
    this.note(step.events);
    this.decide(detectorClock());
    this.retry(Math.min(MAX_RECONNECT_DELAY_MS, Math.max(this.ctx.policy().detector.pingIntervalMs, this.reconnectDelayMs * 2)));
  }

  private onUnsupported(channel: ControlChannel, reason: string): void {
    if (channel !== this.channel || this.stopped) return;
    this.log.warn({ event: 'channel-unsupported', reason }, 'gateway has no control channel: only its lease is watched');
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
      const step = recordPong(this.probe, frame, atMs, this.ctx.policy().detector);
      this.probe = step.state;
      this.counts.pongs += 1;
      this.note(step.events);
      if (this.awaitingFirstPong && step.state.lastPongAtMs === atMs) {
        this.awaitingFirstPong = false;
        this.log.info({ event: 'answering', rttMs: Math.round((step.state.rttsMs.at(-1) ?? 0) * 10) / 10 }, 'gateway answers pings');
      }
      return;
    }
    this.reports = applySelfReport(this.reports, frame, atMs);
    const event = frame.kind === 'shutdown' ? 'gateway-leaving' : 'self-report';
    this.log.info({ event, kind: frame.kind, detail: frame.detail }, `gateway reported ${frame.kind}`);
    // Self-reports are acted on at once, not at the next tick.
    this.decide(atMs);
  }

  private tick(): void {
    const policy = this.ctx.policy();
    const now = detectorClock();
    const lateByMs = this.lastTickAtMs === null ? 0 : now - this.lastTickAtMs - policy.detector.pingIntervalMs;
    this.lastTickAtMs = now;
    if (lateByMs > policy.detector.pongTimeoutMs) {
      this.probe = forgiveDetectorStall(this.probe, now, policy.detector);
      this.log.warn({ event: 'detector-stalled', lateByMs: Math.round(lateByMs) }, 'detector event loop stalled: pending deadlines extended');
    }
    const id = this.nextPingId++;
    const sentAt = detectorClock();
    if (this.channel?.send({ t: 'ping', id, sentAt })) this.probe = recordPingSent(this.probe, id, sentAt, policy.detector);
    setImmediate(() => this.judge());
  }

  private judge(): void {
    if (this.stopped) return;
    const policy = this.ctx.policy();
    const atMs = detectorClock();
    const expired = expireOverduePings(this.probe, atMs, policy.detector);
    this.probe = expired.state;
    this.note(expired.events);
    const signalling = this.reports.writeBlocked || errorBurstActive(this.reports, atMs, policy.hysteresis.clearAfterMs);
    const input = { probe: this.probe, vitals: this.vitals, signalling, atMs };
    const step = stepHealthWatch(this.health, input, policy, this.ctx.rttSpikeFloorMs);
    this.health = step.state;
    if (step.transition) {
      this.log.info({ event: 'health-alarm', transition: step.transition, score: Math.round(step.state.health?.score ?? 100) }, `health alarm ${step.transition}`);
    }
    if (!this.baselineAnnounced && this.health.rtt.thresholdMs !== null) {
      // From here on RTT spikes are judged for this gateway; before, there was no normal to compare with.
      this.baselineAnnounced = true;
      const { baselineMs, thresholdMs } = this.health.rtt;
      this.log.info({ event: 'baseline-learned', baselineMs, rttSpikeThresholdMs: thresholdMs }, 'RTT baseline learned');
    }
    if (atMs - this.lastSummaryAtMs >= SUMMARY_EVERY_MS) this.summarise(atMs);
    this.decide(atMs);
  }

  private summarise(atMs: number): void {
    const window = this.probe.rttsMs.slice(-rttWindowSize(this.ctx.policy().detector.pingIntervalMs));
    const round = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
    this.log.info(
      {
        event: 'probe-summary',
        tier: this.probe.tier,
        ...this.counts,
        rttMedianMs: round(median(window)),
        rttMaxMs: round(this.probe.rttsMs.length > 0 ? Math.max(...this.probe.rttsMs) : null),
        rttBaselineMs: round(this.health.rtt.baselineMs),
        score: round(this.health.health?.score),
        alarm: this.health.tracker.alarm,
      },
      'probe summary',
    );
    this.lastSummaryAtMs = atMs;
  }

  private decide(atMs: number): void {
    const snapshot: GatewaySnapshot = {
      probe: this.probe,
      reports: this.reports,
      health: this.health,
      vitals: this.vitals,
      leaseExpired: this.leaseExpired,
      atMs,
    };
    this.ctx.onDecision(this.gatewayId, snapshot, decideForGateway(snapshot, this.ctx.policy(), { shadow: this.ctx.shadow() }));
  }

  private note(events: readonly ProbeEvent[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'miss':
          this.counts.misses += 1;
          this.log.debug({ event: 'pong-miss', pingId: event.pingId, consecutiveMisses: event.consecutiveMisses }, 'pong missed');
          break;
        case 'suspect':
          this.log.info({ event: 'suspect', consecutiveMisses: event.consecutiveMisses, latePongs: this.probe.latePongs }, 'gateway suspect');
          break;
        case 'transport-lost':
          this.log.info({ event: 'channel-lost', cause: event.cause }, 'control channel lost');
          break;
        case 'recovered':
          this.log.info({ event: 'recovered', from: event.from }, 'gateway answering in time again');
          break;
      }
    }
  }
}

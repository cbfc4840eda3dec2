import {
  type AvailabilitySummary,
  type HealthWatchState,
  type HealthWatchStep,
  type ProbeEvent,
  type ProbeState,
  type SelfReportFrame,
  median,
} from '#core';
import { type Logger } from '#runtime';

/** How often each gateway's probe figures are logged: what the detector sees, without a line per ping. */
const SUMMARY_EVERY_MS = 5_000;

const round1 = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 10) / 10);

/**
 * What one gateway's monitor tells the log, as JSON lines with an `event` name: the moments
 * that matter (channel open and lost, first answer, suspect, self-reports, alarms, the baseline
 * becoming usable) and a periodic summary, so operators and tests can follow the detector.
 */
export class MonitorJournal {
  private readonly counts = { pongs: 0, misses: 0 };
  private awaitingFirstPong = false;
  private baselineAnnounced = false;
  private lastSummaryAtMs: number;

  constructor(
    private readonly log: Logger,
    nowMs: number,
  ) {
    this.lastSummaryAtMs = nowMs;
  }

  /** A new incarnation of the gateway: its baseline is learned afresh. */
  restart(): void {
    this.baselineAnnounced = false;
  }

  channelOpen(): void {
    this.awaitingFirstPong = true;
    this.log.info({ event: 'channel-open' }, 'control channel open');
  }

  channelUnsupported(reason: string): void {
    this.log.warn({ event: 'channel-unsupported', reason }, 'gateway has no control channel: only its lease is watched');
  }

  badFrame(raw: string): void {
    this.log.warn({ event: 'bad-frame', raw }, 'unparseable control channel frame');
  }

  /** The first answer on a fresh channel: from then on the gateway is really being watched. */
  pong(probe: ProbeState): void {
    this.counts.pongs += 1;
    if (!this.awaitingFirstPong) return;
    this.awaitingFirstPong = false;
    this.log.info({ event: 'answering', rttMs: round1(probe.rttsMs.at(-1)) }, 'gateway answers pings');
  }

  selfReport(report: SelfReportFrame): void {
    const event = report.kind === 'shutdown' ? 'gateway-leaving' : 'self-report';
    this.log.info({ event, kind: report.kind, detail: report.detail }, `gateway reported ${report.kind}`);
  }

  probeEvents(events: readonly ProbeEvent[], probe: ProbeState): void {
    for (const event of events) {
      switch (event.kind) {
        case 'miss':
          this.counts.misses += 1;
          this.log.debug({ event: 'pong-miss', pingId: event.pingId, consecutiveMisses: event.consecutiveMisses }, 'pong missed');
          break;
        case 'suspect':
          this.log.info({ event: 'suspect', consecutiveMisses: event.consecutiveMisses, latePongs: probe.latePongs }, 'gateway suspect');
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

  health(step: HealthWatchStep): void {
    const { rtt, health } = step.state;
    if (step.transition) {
      this.log.info({ event: 'health-alarm', transition: step.transition, score: Math.round(health?.score ?? 100) }, `health alarm ${step.transition}`);
    }
    if (!this.baselineAnnounced && rtt.thresholdMs !== null) {
      // From here on RTT spikes are judged for this gateway; before, there was no normal to compare with.
      this.baselineAnnounced = true;
      this.log.info({ event: 'baseline-learned', baselineMs: rtt.baselineMs, rttSpikeThresholdMs: rtt.thresholdMs }, 'RTT baseline learned');
    }
  }

  /** `summarise` is called only when a summary is due: the monitor offers one at every ping. */
  summariseEvery(atMs: number, probe: ProbeState, health: HealthWatchState, windowSize: number, summarise: () => AvailabilitySummary): void {
    if (atMs - this.lastSummaryAtMs < SUMMARY_EVERY_MS) return;
    this.lastSummaryAtMs = atMs;
    const availability = summarise();
    this.log.info(
      {
        event: 'probe-summary',
        tier: probe.tier,
        ...this.counts,
        rttMedianMs: round1(median(probe.rttsMs.slice(-windowSize))),
        rttMaxMs: round1(probe.rttsMs.length > 0 ? Math.max(...probe.rttsMs) : null),
        rttBaselineMs: round1(health.rtt.baselineMs),
        score: round1(health.health?.score),
        alarm: health.tracker.alarm,
        stallsPerMinute: round1(availability.stallsPerMinute),
        unavailablePct: round1(availability.unavailableFraction * 100),
        missedPongPct: availability.missedPongRatio === null ? null : round1(availability.missedPongRatio * 100),
      },
      'probe summary',
    );
  }
}

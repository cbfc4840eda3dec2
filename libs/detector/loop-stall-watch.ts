import { DEFAULT_OWN_STALL_SETTINGS, type LoopStall, OwnStalls, type StalledWithin } from '#core';
import { type Logger } from '#runtime';
import { detectorClock } from './gateway-monitor.js';

export interface LoopStallWatchDeps {
  readonly log: Logger;
  /** Stalls longer than this are logged (the pong timeout: long enough to have made misses). */
  readonly warnAfterMs: () => number;
  readonly onStall?: (stall: LoopStall) => void;
}

/**
 * Keeps the detector's loop beating and remembers when it stood still, so every monitor measures
 * round trips and deadlines without the detector's own pauses (see OwnStalls). One per process:
 * a stall stops every monitor at once, and is logged once, not once per gateway.
 */
export class LoopStallWatch {
  private readonly stalls = new OwnStalls();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: LoopStallWatchDeps) {}

  readonly within: StalledWithin = this.stalls.within;

  start(): void {
    this.stalls.beat(detectorClock());
    this.timer = setInterval(() => this.beat(), DEFAULT_OWN_STALL_SETTINGS.beatEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const stall = this.stalls.beat(detectorClock());
    if (!stall) return;
    this.deps.onStall?.(stall);
    const stalledMs = stall.toMs - stall.fromMs;
    if (stalledMs > this.deps.warnAfterMs()) {
      this.deps.log.warn({ event: 'detector-stalled', stalledMs: Math.round(stalledMs) }, 'detector event loop stalled: round trips and deadlines are measured without the pause');
    }
  }
}

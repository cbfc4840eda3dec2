import { type Logger } from '#runtime';

/** At most one stall line this often: a stall is the detector's, not any one gateway's. */
const REPORT_EVERY_MS = 1_000;

/**
 * A stalled event loop is noticed by every watched gateway at its next tick; one warning a
 * second says so for all of them. A line per gateway (thousands, written while the loop is
 * already behind) would prolong the very stall it reports.
 */
export class StallReport {
  private lastAtMs = -Infinity;
  private gateways = 0;
  private worstMs = 0;

  constructor(
    private readonly log: Logger,
    private readonly clock: () => number,
  ) {}

  noticed(lateByMs: number): void {
    this.gateways += 1;
    this.worstMs = Math.max(this.worstMs, lateByMs);
    const now = this.clock();
    if (now - this.lastAtMs < REPORT_EVERY_MS) return;
    this.log.warn(
      { event: 'detector-stalled', lateByMs: Math.round(this.worstMs), gateways: this.gateways },
      'detector event loop stalled: pending deadlines extended',
    );
    this.lastAtMs = now;
    this.gateways = 0;
    this.worstMs = 0;
  }
}

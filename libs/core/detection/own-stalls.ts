/** A span during which the detector's own event loop stood still. */
export interface LoopStall {
  readonly fromMs: number;
  readonly toMs: number;
}

/** How long, within [fromMs, toMs], the detector itself stood still. */
export type StalledWithin = (fromMs: number, toMs: number) => number;

/** For callers that know of no stall (and for tests of everything else). */
export const NEVER_STALLED: StalledWithin = () => 0;

export interface OwnStallSettings {
  /** How often the loop is meant to beat. */
  readonly beatEveryMs: number;
  /** Lateness up to this is timer noise, not a stall. */
  readonly slackMs: number;
}

export const DEFAULT_OWN_STALL_SETTINGS: OwnStallSettings = Object.freeze({ beatEveryMs: 10, slackMs: 5 });

/**
 * Far more than fit in a default pong timeout (25 at most, at a 10 ms beat). Dropping the oldest
 * can only undercount a stall, so a gateway is never excused for more than the detector stood still.
 */
const MAX_KEPT = 256;

const overlap = (stall: LoopStall, fromMs: number, toMs: number): number => Math.max(0, Math.min(stall.toMs, toMs) - Math.max(stall.fromMs, fromMs));

/**
 * The detector's own stalls (GC, CPU starvation, a long callback), told by a beat its loop is
 * meant to keep. While the loop stands still, pongs wait unread in its sockets and deadlines pass
 * on the wall clock: that time is the detector's, not the gateway's, so round trips and deadlines
 * are measured without it. A beat overdue right now is a stall still going on, counted up to now:
 * a pong read in the same callback run that ends a long stall is judged without the stall too.
 */
export class OwnStalls {
  /** Ended stalls, in the order they ended. */
  private readonly ended: LoopStall[] = [];
  private lastBeatAtMs: number | null = null;

  constructor(private readonly settings: OwnStallSettings = DEFAULT_OWN_STALL_SETTINGS) {}

  /** The loop ran at `atMs`; returns the stall this beat ended, if it came late. */
  beat(atMs: number): LoopStall | undefined {
    const stall = this.overdue(atMs);
    this.lastBeatAtMs = atMs;
    if (!stall) return undefined;
    this.ended.push(stall);
    if (this.ended.length > MAX_KEPT) this.ended.shift();
    return stall;
  }

  readonly within: StalledWithin = (fromMs, toMs) => {
    if (toMs <= fromMs) return 0;
    const open = this.overdue(toMs);
    let total = open ? overlap(open, fromMs, toMs) : 0;
    for (let i = this.ended.length - 1; i >= 0; i--) {
      const stall = this.ended[i]!;
      if (stall.toMs <= fromMs) break;
      total += overlap(stall, fromMs, toMs);
    }
    return total;
  };

  /** The stall from the beat that was due until `atMs`, if that beat is later than the slack allows. */
  private overdue(atMs: number): LoopStall | undefined {
    if (this.lastBeatAtMs === null) return undefined;
    const dueAtMs = this.lastBeatAtMs + this.settings.beatEveryMs;
    return atMs - dueAtMs > this.settings.slackMs ? { fromMs: dueAtMs, toMs: atMs } : undefined;
  }
}

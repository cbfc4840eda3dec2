import { type DataPlaneSnapshot } from '../controlled-gateway.js';

export interface WriteBlockPolicy {
  /** How long the condition must hold before the gateway calls itself write-blocked. */
  readonly thresholdMs: number;
  /**
   * Share of sessions (at least one) that must sit at the high-water mark. One
   * slow phone should not make a whole gateway look sick; a stuck gateway blocks
   * most of its sessions at once.
   */
  readonly minBlockedFraction: number;
}

export type WriteBlockChange = { readonly kind: 'write-blocked' | 'write-unblocked'; readonly detail: Record<string, number> };

/**
 * Watches send buffers: write-blocked once enough sessions have been at the
 * high-water mark for longer than the threshold, unblocked when they drain.
 * Also measures the share of time spent above the mark, for the vitals.
 */
export class WriteBlockMonitor {
  blocked = false;
  private aboveSince: number | undefined;
  private lastSampleAt: number | undefined;
  private windowStart: number | undefined;
  private aboveMs = 0;

  constructor(private readonly policy: WriteBlockPolicy) {}

  sample(snapshot: DataPlaneSnapshot, now: number): WriteBlockChange | undefined {
    const needed = Math.max(1, Math.ceil(this.policy.minBlockedFraction * snapshot.connections));
    const above = snapshot.connections > 0 && snapshot.blockedSessions >= needed;
    if (this.lastSampleAt !== undefined && this.aboveSince !== undefined) this.aboveMs += now - this.lastSampleAt;
    this.lastSampleAt = now;
    this.windowStart ??= now;
    const detail = {
      blockedSessions: snapshot.blockedSessions,
      sessions: snapshot.connections,
      maxSendBufferBytes: snapshot.maxSendBufferBytes,
      sendBufferHighWater: snapshot.sendBufferHighWater,
    };
    if (!above) {
      this.aboveSince = undefined;
      if (!this.blocked) return undefined;
      this.blocked = false;
      return { kind: 'write-unblocked', detail };
    }
    this.aboveSince ??= now;
    if (this.blocked || now - this.aboveSince < this.policy.thresholdMs) return undefined;
    this.blocked = true;
    return { kind: 'write-blocked', detail: { ...detail, aboveForMs: now - this.aboveSince } };
  }

  /** Share of the time since the last call spent above the mark, 0..1; starts a new window. */
  takeRatio(now: number): number {
    const span = this.windowStart === undefined ? 0 : now - this.windowStart;
    const ratio = span > 0 ? Math.min(1, this.aboveMs / span) : 0;
    this.windowStart = now;
    this.aboveMs = 0;
    return ratio;
  }
}

import { type DataPlaneSnapshot } from '../controlled-gateway.js';

export interface WriteBlockPolicy {
  /** How long the condition must hold before the gateway calls itself write-blocked. */
  readonly thresholdMs: number;
  /**
   * Share of sessions (at least one) whose clients must be behind. One slow phone
   * should not make a whole gateway look sick; a stuck gateway blocks most of its
   * sessions at once.
   */
  readonly minBlockedFraction: number;
}

export type WriteBlockDetail = Record<string, number | boolean>;

export type WriteBlockChange = { readonly kind: 'write-blocked' | 'write-unblocked'; readonly detail: WriteBlockDetail };

/**
 * Watches what clients take: write-blocked once enough sessions have been behind
 * (buffers at their marks, or acks late; see the data plane's snapshot) for longer
 * than the threshold, unblocked when they catch up. While blocked, a change of
 * `retryPending` (every blocked session still progressing within its retry budget)
 * is reported again as `write-blocked`, so a detector sees the retry run out.
 * Also measures the share of time spent blocked, for the vitals.
 */
export class WriteBlockMonitor {
  blocked = false;
  /** Blocked, and the gateway's own flow control is still getting through to every blocked session. */
  retryPending = false;
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
    const retrying = above && snapshot.retryingSessions === snapshot.blockedSessions;
    const detail = describe(snapshot, retrying);
    if (!above) {
      this.aboveSince = undefined;
      this.retryPending = false;
      if (!this.blocked) return undefined;
      this.blocked = false;
      return { kind: 'write-unblocked', detail };
    }
    this.aboveSince ??= now;
    if (now - this.aboveSince < this.policy.thresholdMs) return undefined;
    if (this.blocked && retrying === this.retryPending) return undefined;
    this.blocked = true;
    this.retryPending = retrying;
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

const describe = (snapshot: DataPlaneSnapshot, retryPending: boolean): WriteBlockDetail => ({
  blockedSessions: snapshot.blockedSessions,
  sessions: snapshot.connections,
  retryingSessions: snapshot.retryingSessions,
  lateAckSessions: snapshot.lateAckSessions,
  retryPending,
  maxSendBufferBytes: snapshot.maxSendBufferBytes,
  sendBufferHighWater: snapshot.sendBufferHighWater,
  maxUnackedBytes: snapshot.maxUnackedBytes,
  maxUnackedAgeMs: snapshot.maxUnackedAgeMs,
  ackDeadlineMs: snapshot.ackDeadlineMs,
  ...(snapshot.maxKernelSendQueueBytes !== undefined ? { maxKernelSendQueueBytes: snapshot.maxKernelSendQueueBytes } : {}),
  kernelSendQueueHighWater: snapshot.kernelSendQueueHighWater,
});

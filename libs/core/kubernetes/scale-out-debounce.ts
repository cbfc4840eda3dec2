/**
 * One rebalance for a burst of new pods: each new Ready pod pushes the deadline out by
 * the quiet period, and the rebalance is due once no new pod arrived for that long.
 * Pure: the caller passes the time and asks when to look again.
 */
export class ScaleOutDebounce {
  private dueAtMs: number | undefined;
  private pods: string[] = [];

  constructor(private readonly quietMs: () => number) {}

  /** A pod turned Ready; returns when the rebalance will be due (ms since epoch). */
  noteReady(podName: string, nowMs: number): number {
    this.pods.push(podName);
    this.dueAtMs = nowMs + this.quietMs();
    return this.dueAtMs;
  }

  /** The pods of the burst when the rebalance is due (and resets), otherwise undefined. */
  takeDue(nowMs: number): readonly string[] | undefined {
    if (this.dueAtMs === undefined || nowMs < this.dueAtMs) return undefined;
    const pods = this.pods;
    this.pods = [];
    this.dueAtMs = undefined;
    return pods;
  }
}

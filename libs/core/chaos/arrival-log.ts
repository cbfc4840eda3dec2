/**
 * Every sequence a client received on one topic, in arrival order, as runs of
 * consecutive sequences: a healthy stream is one run however long it lasts, and
 * each gap, repeat or step back starts a new one. Small enough to ship from a
 * client process after every chaos scenario, exact enough to audit offline.
 */
export type ArrivalRun = readonly [first: number, last: number];

export class ArrivalLog {
  private readonly runs: [number, number][] = [];

  record(seq: number): void {
    const current = this.runs.at(-1);
    if (current && seq === current[1] + 1) current[1] = seq;
    else this.runs.push([seq, seq]);
  }

  snapshot(): ArrivalRun[] {
    return this.runs.map(([first, last]) => [first, last] as const);
  }
}

export interface DeliveryAudit {
  /** Sequences in the window that never arrived. */
  readonly lost: number;
  /** Arrivals in the window of a sequence that had already arrived. */
  readonly duplicated: number;
  /** First arrivals in the window that came after a higher sequence had already arrived. */
  readonly reordered: number;
  readonly received: number;
}

/**
 * Audits one client's arrivals against the gap-free stream `from`..`through`
 * (inclusive): what a chaos scenario promises every client. Declared gaps (a
 * gateway's `gap` frame) are losses too, counted by the caller.
 */
export const auditArrivals = (runs: readonly ArrivalRun[], from: number, through: number): DeliveryAudit => {
  if (through < from) return { lost: 0, duplicated: 0, reordered: 0, received: 0 };
  const seen = new Set<number>();
  let duplicated = 0;
  let reordered = 0;
  let highest = Number.NEGATIVE_INFINITY;
  for (const [first, last] of runs) {
    for (let seq = first; seq <= last; seq++) {
      if (seq >= from && seq <= through) {
        if (seen.has(seq)) duplicated += 1;
        else {
          if (seq < highest) reordered += 1;
          seen.add(seq);
        }
      }
      if (seq > highest) highest = seq;
    }
  }
  return { lost: through - from + 1 - seen.size, duplicated, reordered, received: seen.size };
};

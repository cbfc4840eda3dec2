import { auditArrivals } from './arrival-log.js';
import { type ClientJournal } from './client-journal.js';

export interface DeliveryTotals {
  readonly clients: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  /** Distinct messages of the window that arrived, over every client: what the zeros are out of. */
  readonly delivered: number;
  /** The worst clients, for the failure message. */
  readonly worst: readonly string[];
}

/**
 * Per client, per topic: every sequence of the window `from[topic]`..`through[topic]`
 * arrived exactly once and in order. Declared gaps count as lost: explicit is
 * better than silent, but it is still a message the client never got.
 */
export const auditDelivery = (
  journals: readonly ClientJournal[],
  from: Readonly<Record<string, number>>,
  through: Readonly<Record<string, number>>,
  declaredBefore: ReadonlyMap<string, number> = new Map(),
): DeliveryTotals => {
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  let delivered = 0;
  const bad: string[] = [];
  for (const journal of journals) {
    let mine = 0;
    for (const [topic, runs] of Object.entries(journal.arrivals)) {
      const audit = auditArrivals(runs, from[topic] ?? 0, through[topic] ?? -1);
      const declared = (journal.declaredLost[topic] ?? 0) - (declaredBefore.get(`${journal.sessionId}/${topic}`) ?? 0);
      lost += audit.lost + declared;
      duplicated += audit.duplicated;
      reordered += audit.reordered;
      delivered += audit.received;
      mine += audit.lost + declared + audit.duplicated + audit.reordered;
    }
    if (mine > 0) bad.push(`${journal.sessionId} (${mine})`);
  }
  return { clients: journals.length, lost, duplicated, reordered, delivered, worst: bad.slice(0, 5) };
};

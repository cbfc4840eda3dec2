import type { RunMismatch, WhatHappened } from './simulation-result.js';
import { type RecordedRun, type RecordedTrigger, type TimelineEvent, timelineEventAt } from './timeline-event.js';

/** An incident as far as attributing what happened goes. */
export interface IncidentWindow {
  readonly gatewayId: string;
  readonly onsetMs: number;
  readonly endedAtMs: number | null;
  /** The detector's responder, replayed under the policy in force, started a run in it. */
  readonly inForceStarted: boolean;
}

export interface Attribution {
  readonly happened: readonly WhatHappened[];
  /** Runs and triggers recorded in no incident's time (an operator's run, a sweep's finding the detector never saw). */
  readonly outside: readonly TimelineEvent[];
}

/**
 * How far before an incident's onset a run or trigger may be stamped and still be its own: the
 * detector times its observations by its monotonic clock, the runs carry wall-clock times (of the
 * detector, a worker, a controller), and the two drift apart by a few milliseconds an hour.
 */
export const ATTRIBUTION_SLACK_MS = 1_000;

/**
 * Gives every recorded run and trigger to the incident of its gateway it fired in: from the
 * incident's onset until the first quiet moment after it (or the gateway's next incident, for one
 * the timeline did not see end), else to the next incident when it starts within
 * {@link ATTRIBUTION_SLACK_MS}. An incident with a run has what it did; one where a run was
 * started (by the detector's replay or a recorded trigger) but none was recorded says so; the
 * rest had none.
 */
export const attributeEvents = (incidents: readonly IncidentWindow[], events: readonly TimelineEvent[]): Attribution => {
  const byGateway = new Map<string, number[]>();
  incidents.forEach((x, i) => byGateway.set(x.gatewayId, [...(byGateway.get(x.gatewayId) ?? []), i]));
  for (const own of byGateway.values()) own.sort((a, b) => incidents[a]!.onsetMs - incidents[b]!.onsetMs);
  const runs: RecordedRun[][] = incidents.map(() => []);
  const triggers: RecordedTrigger[][] = incidents.map(() => []);
  const outside: TimelineEvent[] = [];
  for (const event of [...events].sort((a, b) => timelineEventAt(a) - timelineEventAt(b))) {
    const at = timelineEventAt(event);
    const own = byGateway.get(event.gatewayId) ?? [];
    const index = own.find((i, k) => {
      const x = incidents[i]!;
      const next = own[k + 1];
      const until = Math.min(x.endedAtMs ?? Number.POSITIVE_INFINITY, next === undefined ? Number.POSITIVE_INFINITY : incidents[next]!.onsetMs);
      return at >= x.onsetMs && at < until;
    }) ?? own.find((i) => incidents[i]!.onsetMs > at && incidents[i]!.onsetMs - at <= ATTRIBUTION_SLACK_MS);
    if (index === undefined) outside.push(event);
    else if (event.kind === 'run') runs[index]!.push(event);
    else triggers[index]!.push(event);
  }
  const happened = incidents.map((x, i): WhatHappened => {
    const started = x.inForceStarted || triggers[i]!.some((t) => t.delivery === 'started' || t.delivery === 'joined');
    const status = runs[i]!.length > 0 ? 'recorded' : started ? 'not-recorded' : 'no-run';
    return { status, runs: runs[i]!, triggers: triggers[i]! };
  });
  return { happened, outside };
};

/**
 * The other half of the determinism check: every run the detector started is one the policy in
 * force, replayed, starts too — in the incident the run was recorded in.
 */
export const unmatchedDetectorRuns = (incidents: readonly IncidentWindow[], attribution: Attribution): RunMismatch[] => {
  const mismatch = (run: RecordedRun, why: string): RunMismatch => ({ gatewayId: run.gatewayId, workflowId: run.workflowId, runId: run.runId, requestedAt: run.requestedAt, why });
  const fromDetector = (e: TimelineEvent): e is RecordedRun => e.kind === 'run' && e.trigger === 'detector' && !e.dryRun;
  return [
    ...attribution.happened.flatMap((h, i) =>
      incidents[i]!.inForceStarted ? [] : h.runs.filter(fromDetector).map((run) => mismatch(run, 'the policy in force, replayed, starts no run in its incident')),
    ),
    ...attribution.outside.filter(fromDetector).map((run) => mismatch(run, 'it started in no incident of the replay')),
  ];
};

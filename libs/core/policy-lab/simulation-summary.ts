import { percentile } from '../stats/percentiles.js';
import {
  INCIDENT_DIFFERENCES,
  type IncidentDifference,
  type IncidentHandling,
  type PolicyTally,
  type SimulatedIncident,
  type SimulationSummary,
} from './simulation-result.js';
import type { TimelineEvent } from './timeline-event.js';

/** How the candidate's removal compares with the one in force; a guardrail stopping only the candidate's comes first. */
export const differenceOf = (inForce: IncidentHandling, candidate: IncidentHandling): IncidentDifference => {
  if (candidate.blockedBy !== null && inForce.blockedBy === null) return 'blocked-by-guardrail';
  const was = inForce.removedAtMs;
  const would = candidate.removedAtMs;
  if (was === null && would === null) return 'same';
  if (was === null) return 'newly-removed';
  if (would === null) return 'not-removed';
  if (would === was) return 'same';
  return would < was ? 'earlier' : 'later';
};

const tally = (handlings: readonly IncidentHandling[]): PolicyTally => {
  const times = handlings.flatMap((h) => (h.timeToRemovalMs === null ? [] : [h.timeToRemovalMs]));
  return {
    removals: handlings.filter((h) => h.removedAtMs !== null).length,
    blockedByGuardrail: handlings.filter((h) => h.blockedBy !== null).length,
    medianTimeToRemovalMs: times.length === 0 ? null : percentile(times, 50),
    maxTimeToRemovalMs: times.length === 0 ? null : Math.max(...times),
  };
};

const runTally = (incidents: readonly SimulatedIncident[], outside: readonly TimelineEvent[]): SimulationSummary['runs'] => {
  const inIncidents = incidents.reduce((n, x) => n + x.happened.runs.length, 0);
  const outsideIncidents = outside.filter((e) => e.kind === 'run').length;
  return { recorded: inIncidents + outsideIncidents, inIncidents, outsideIncidents, incidentsNotRecorded: incidents.filter((x) => x.happened.status === 'not-recorded').length };
};

export interface SummaryInput {
  readonly window: SimulationSummary['window'];
  readonly gateways: number;
  readonly observations: number;
  readonly incidents: readonly SimulatedIncident[];
  /** Events in the window that fell in no incident. */
  readonly outside: readonly TimelineEvent[];
  readonly determinism: SimulationSummary['determinism'];
}

export const summariseSimulation = (input: SummaryInput): SimulationSummary => {
  const { incidents } = input;
  const differences = Object.fromEntries(INCIDENT_DIFFERENCES.map((d) => [d, incidents.filter((x) => x.difference === d).length])) as Record<IncidentDifference, number>;
  return {
    window: input.window,
    gateways: input.gateways,
    observations: input.observations,
    incidents: incidents.length,
    determinism: input.determinism,
    runs: runTally(incidents, input.outside),
    inForce: tally(incidents.map((x) => x.inForce)),
    candidate: {
      ...tally(incidents.map((x) => x.candidate)),
      falsePositiveCandidates: incidents.filter((x) => x.recoveredOnItsOwn && x.candidate.removedAtMs !== null).length,
      wouldFlap: incidents.filter((x) => x.candidate.flapped).length,
    },
    differences,
  };
};

import { type IncidentHandling, type SimulatedIncident, type SimulationSummary, type WhatHappened } from '#core';

const at = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

const handling = (h: IncidentHandling): string => {
  if (h.blockedBy) return `blocked (${h.blockedBy.guardrail})`;
  if (h.removedAtMs === null) return h.response === 'none' ? '-' : h.response;
  return `${h.actions.join('+')} +${Math.round(h.timeToRemovalMs ?? 0)} ms`;
};

/** What the runs did: `quarantine+migrate healed` per run; `not recorded` where a run started but left no record. */
const happened = (h: WhatHappened): string => {
  if (h.status === 'not-recorded') return 'not recorded';
  if (h.status === 'no-run') return '-';
  return h.runs.map((r) => `${r.actions.join('+') || 'none'} ${r.outcome}`).join('; ');
};

const columns = (cells: readonly string[], widths: readonly number[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();

/** One line per incident, then the summary: what `npm run simulate` prints. */
export const formatSimulation = (summary: SimulationSummary, incidents: readonly SimulatedIncident[]): string => {
  const rows = incidents.map((x) => [
    at(x.onsetMs),
    x.gatewayId,
    x.signals.join(' ') || '-',
    handling(x.inForce),
    happened(x.happened),
    `${handling(x.candidate)}${x.candidate.flapped ? ' (flaps)' : ''}`,
    `${x.difference}${x.recoveredOnItsOwn ? ', recovered on its own' : ''}`,
  ]);
  const header = ['onset (UTC)', 'gateway', 'signals', 'in force', 'what the run did', 'candidate', 'difference'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const time = (ms: number | null): string => (ms === null ? 'n/a' : `${Math.round(ms)} ms`);
  const { inForce, candidate, determinism, runs } = summary;
  return [
    columns(header, widths),
    columns(widths.map((w) => '-'.repeat(w)), widths),
    ...rows.map((r) => columns(r, widths)),
    '',
    `${summary.incidents} incident(s) on ${summary.gateways} gateway(s), ${summary.observations} observation(s), ${at(summary.window.fromMs)} .. ${at(summary.window.untilMs)}`,
    `in force:  ${inForce.removals} removal(s), ${inForce.blockedByGuardrail} blocked by a guardrail, time to removal median ${time(inForce.medianTimeToRemovalMs)}, max ${time(inForce.maxTimeToRemovalMs)}`,
    `candidate: ${candidate.removals} removal(s), ${candidate.blockedByGuardrail} blocked by a guardrail, ${candidate.falsePositiveCandidates} false-positive candidate(s), ${candidate.wouldFlap} flapping, time to removal median ${time(candidate.medianTimeToRemovalMs)}, max ${time(candidate.maxTimeToRemovalMs)}`,
    `runs recorded: ${runs.inIncidents} in incidents, ${runs.outsideIncidents} outside; ${runs.incidentsNotRecorded} incident(s) with a run not recorded`,
    `replay of the policy in force: ${determinism.reproduced} of ${determinism.decisions} recorded decisions reproduced, ${determinism.runs.reproduced} of ${determinism.runs.recorded} runs the detector started`,
  ].join('\n');
};

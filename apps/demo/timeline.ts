import { type KillTimeline } from '#devstack';

const seconds = (ms: number): string => (ms >= 1_000 ? `${(ms / 1_000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** The healing, as a user reads it: what happened when, relative to the kill. */
export const formatTimeline = (t: KillTimeline, runLink: string): string => {
  const at = (ms: number): string => `+${seconds(ms - t.killedAt)}`.padEnd(10);
  const missed = new Map<number, number>();
  for (const m of t.missedPerClient) missed.set(m, (missed.get(m) ?? 0) + 1);
  const missedText = [...missed.entries()]
    .sort(([a], [b]) => a - b)
    .map(([m, n]) => `${n} client${n === 1 ? '' : 's'} missed ${m}`)
    .join(', ');
  const steps = t.report.steps.map((s) => `    ${s.name.padEnd(18)} ${seconds((s.finishedAt ?? Number.NaN) - s.startedAt)}`).join('\n');
  const spread = Object.entries(t.rehomedTo).map(([gw, n]) => `${gw}: ${n}`).join(', ');
  const events: [number, string][] = [
    [t.killedAt, `${t.gatewayId} killed (SIGKILL) with ${t.clients} clients`],
    [t.remediationStartedAt, `remediation started (trigger: ${t.report.trigger})  ${t.workflowId}`],
    [t.rehomedAt, `all ${t.clients} clients re-homed (${spread})`],
    [t.remediationFinishedAt, `remediation finished: ${t.report.outcome}, ${t.report.decision?.actions.join('+') ?? 'no action'} by rule "${t.report.decision?.rule ?? '?'}"`],
  ];
  const why = t.report.outcomeReason ? [``, `  the run says: ${t.report.outcomeReason}`] : [];
  return [
    ...events.sort(([a], [b]) => a - b).map(([when, what]) => `  ${at(when)}${what}`),
    ...why,
    ``,
    `  steps of the run:`,
    steps,
    ``,
    `  messages missed: ${missedText}; duplicates ${t.duplicates}, reorders ${t.reorders}`,
    `  the run in the Temporal UI: ${runLink}`,
  ].join('\n');
};

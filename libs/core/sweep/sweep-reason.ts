import type { ScoredGateway } from './assess-gateway.js';

const round = (n: number): string => String(Math.round(n * 10) / 10);

const seconds = (ms: number): string => `${round(ms / 1_000)} s`;

/**
 * The `reason` a sweep gives the remediation it starts: the score with what cost it, the
 * vitals' age, and the decision tree's verdict, so the run explains why it was started.
 */
export const sweepReason = (gateway: ScoredGateway, policyVersion: number, staleAfterMs: number): string => {
  const costs = gateway.deductions.map((d) => `${d.component} −${round(d.points)}`).join(', ');
  const comparison = gateway.score < gateway.threshold ? '<' : '≥';
  const parts = [
    `score ${round(gateway.score)} ${comparison} ${gateway.threshold}${costs ? ` (${costs})` : ''}`,
    gateway.heartbeatLost
      ? `heartbeat lost: vitals ${seconds(gateway.vitalsAgeMs)} old (stale after ${seconds(staleAfterMs)})`
      : `vitals ${seconds(gateway.vitalsAgeMs)} old`,
    `policy v${policyVersion} ${gateway.verdict.rule === null ? 'otherwise' : `rule "${gateway.verdict.rule}"`} → ${gateway.verdict.actions.join('+')}`,
  ];
  return `health sweep: ${parts.join('; ')}`;
};

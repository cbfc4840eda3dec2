import type { DetectorFindings } from '../remediation/evidence.js';
import type { ScoredGateway } from './assess-gateway.js';

/**
 * What the sweep saw, in the form a remediation takes a detector's findings: its own
 * evidence (probes, a few samples) may not show a gateway that merely stopped publishing,
 * so the sweep's `heartbeatLost` must reach the run's decision.
 */
export const sweepFindings = (gateway: ScoredGateway, sweepWorkflowId: string): DetectorFindings => ({
  detectorId: sweepWorkflowId,
  facts: gateway.facts,
  tier: 'health-sweep',
  classification: gateway.heartbeatLost ? 'silent-hang' : gateway.facts.includes('writeBlocked') ? 'write-blocked' : 'unhealthy',
});

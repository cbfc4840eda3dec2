import { describe, expect, it } from '@jest/globals';
import { type ClientJournal, type ClientMove } from './client-journal.js';
import { auditRedirects } from './redirect-invariant.js';
import { type RunRecord } from './run-record.js';

const client = (sessionId: string, moves: ClientMove[]): ClientJournal => ({ sessionId, gatewayId: moves.at(-1)?.to, connected: true, arrivals: {}, declaredLost: {}, moves });
const redirect = (at: number, from: string, to: string): ClientMove => ({ at, from, to, via: 'redirect' });
const run = (workflowId: string, type: string, startedAt: number, closedAt: number, gatewayId?: string): RunRecord => ({
  workflowId,
  runId: `${workflowId}-run`,
  type,
  startedAt,
  closedAt,
  status: 'COMPLETED',
  ...(gatewayId ? { gatewayId } : {}),
});

describe(auditRedirects.name, () => {
  const remediation = run('remediate:gw-1', 'remediateGateway', 1_000, 5_000, 'gw-1');

  it('should accept one redirect per session per run', () => {
    const finding = auditRedirects([client('a', [redirect(2_000, 'gw-1', 'gw-2')]), client('b', [redirect(2_100, 'gw-1', 'gw-3')])], [remediation], 0);
    expect(finding).toEqual({ doubleRedirects: [], unexplained: 0, ambiguous: 0, redirects: 2 });
  });

  it('should flag a session one run redirected twice', () => {
    const finding = auditRedirects([client('a', [redirect(2_000, 'gw-1', 'gw-2'), redirect(2_500, 'gw-1', 'gw-3')])], [remediation], 0);
    expect(finding.doubleRedirects).toEqual(['a by remediate:gw-1']);
  });

  it('should allow a second move by a different run (a later rebalance)', () => {
    const rebalance = run('rebalance:x', 'rebalanceFleet', 8_000, 9_000);
    const finding = auditRedirects([client('a', [redirect(2_000, 'gw-1', 'gw-2'), redirect(8_500, 'gw-2', 'gw-1')])], [remediation, rebalance], 0);
    expect(finding).toEqual({ doubleRedirects: [], unexplained: 0, ambiguous: 0, redirects: 2 });
  });

  it('should charge no rebalance while several are open (they take turns), but still flag one open alone', () => {
    const waiting = run('rebalance:a', 'rebalanceFleet', 8_000, 12_000);
    const acting = run('rebalance:b', 'rebalanceFleet', 8_100, 8_900);
    const overlapping = auditRedirects([client('a', [redirect(8_500, 'gw-1', 'gw-2'), redirect(11_000, 'gw-2', 'gw-3'), redirect(11_500, 'gw-3', 'gw-1')])], [waiting, acting], 0);
    expect(overlapping).toEqual({ doubleRedirects: ['a by rebalance:a'], unexplained: 0, ambiguous: 1, redirects: 3 });
  });

  it('should count redirects no run explains, and ignore moves before the scenario', () => {
    const finding = auditRedirects([client('a', [redirect(500, 'gw-9', 'gw-2'), redirect(20_000, 'gw-2', 'gw-3')])], [remediation], 1_000);
    expect(finding).toEqual({ doubleRedirects: [], unexplained: 1, ambiguous: 0, redirects: 1 });
  });
});

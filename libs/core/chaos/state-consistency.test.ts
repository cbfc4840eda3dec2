import { describe, expect, it } from '@jest/globals';
import { type GatewayStateRecord } from '../fleet/gateway-state.js';
import { type RunRecord } from './run-record.js';
import { stateInconsistencies } from './state-consistency.js';

const run = (gatewayId: string, startedAt: number, outcome: string, actions: string[]): RunRecord => ({
  workflowId: `remediate:${gatewayId}`,
  runId: `r${startedAt}`,
  type: 'remediateGateway',
  gatewayId,
  startedAt,
  closedAt: startedAt + 500,
  status: 'COMPLETED',
  outcome,
  actions,
});
const state = (s: GatewayStateRecord['state'], by: string, since: number): GatewayStateRecord => ({ state: s, by, since });

describe(stateInconsistencies.name, () => {
  it('should accept a gateway out of rotation by a run that healed by taking it out', () => {
    const states = new Map([['gw-1', state('quarantined', 'remediate:gw-1', 1_100)]]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'healed', ['quarantine', 'migrate'])])).toEqual([]);
  });

  it('should accept a later restore putting it back', () => {
    const states = new Map([['gw-1', state('serving', 'restore:gw-1', 5_000)]]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'healed', ['quarantine', 'migrate'])])).toEqual([]);
  });

  it('should flag a gateway held out by a run that says it changed nothing', () => {
    const states = new Map([['gw-1', state('quarantined', 'remediate:gw-1', 1_100)]]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'compensated', ['quarantine'])])).toEqual(['gw-1 is quarantined by remediate:gw-1, whose run ended compensated']);
  });

  it('should flag a gateway held for a human by a run that did not end needs-human', () => {
    const states = new Map([['gw-1', state('needs-human', 'remediate:gw-1', 1_100)]]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'needs-human', ['quarantine'])])).toEqual([]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'healed', ['quarantine'])])[0]).toContain('held for a human by remediate:gw-1, whose run ended healed');
  });

  it('should flag a healed run whose state never reached etcd', () => {
    const states = new Map([['gw-1', state('serving', 'agent', 10)]]);
    expect(stateInconsistencies(states, [run('gw-1', 1_000, 'healed', ['degrade'])])[0]).toContain('healed with degrade but etcd');
  });
});

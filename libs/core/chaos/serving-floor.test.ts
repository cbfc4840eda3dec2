import { describe, expect, it } from '@jest/globals';
import { blastRadiusAllows, servingFloorViolations } from './serving-floor.js';

const sample = (registered: string[], states: Record<string, [string, string]>) => ({
  at: 0,
  registered,
  states: Object.fromEntries(Object.entries(states).map(([id, [state, by]]) => [id, { state, by }])) as never,
});

describe(servingFloorViolations.name, () => {
  it('should allow what the blast radius allows', () => {
    expect(blastRadiusAllows(4, 0.34)).toBe(1);
    expect(blastRadiusAllows(3, 0.34)).toBe(1);
    expect(blastRadiusAllows(2, 0.5)).toBe(1);
    const samples = [sample(['gw-1', 'gw-2', 'gw-3'], { 'gw-1': ['quarantined', 'remediate:gw-1'], 'gw-2': ['serving', 'agent'] })];
    expect(servingFloorViolations(samples, 0.34)).toEqual([]);
  });

  it('should flag automation holding more gateways out than the blast radius allows', () => {
    const samples = [sample(['gw-2', 'gw-3', 'gw-4'], { 'gw-1': ['quarantined', 'remediate:gw-1'], 'gw-2': ['degraded', 'remediate:gw-2'] })];
    expect(servingFloorViolations(samples, 0.34)[0]).toContain('automation holds gw-1, gw-2 out of 4 (blast radius allows 1)');
  });

  it('should count a gateway held for a human out of rotation unless its record keeps it in', () => {
    const held = (inRotation: boolean) => ({
      at: 0,
      registered: ['gw-1', 'gw-2', 'gw-3'],
      states: { 'gw-1': { state: 'quarantined', by: 'remediate:gw-1' }, 'gw-2': { state: 'needs-human', by: 'remediate:gw-2', inRotation } },
    }) as never;
    expect(servingFloorViolations([held(false)], 0.34)).toHaveLength(1);
    expect(servingFloorViolations([held(true)], 0.34)).toEqual([]);
  });

  it('should not count gateways on probation (coming back through a restore) as taken out', () => {
    const samples = [sample(['gw-1', 'gw-2', 'gw-3', 'gw-4'], { 'gw-1': ['probation', 'restore:gw-1'], 'gw-2': ['probation', 'restore:gw-2'] })];
    expect(servingFloorViolations(samples, 0.34)).toEqual([]);
  });

  it('should flag the last serving gateway taken out by automation, but not by an operator', () => {
    const byRun = [sample(['gw-1', 'gw-2'], { 'gw-1': ['quarantined', 'remediate:gw-1'], 'gw-2': ['draining', 'operator'] })];
    expect(servingFloorViolations(byRun, 0.5)[0]).toContain('no serving gateway left');
    const byOperator = [sample(['gw-1', 'gw-2'], { 'gw-1': ['draining', 'operator'], 'gw-2': ['draining', 'operator'] })];
    expect(servingFloorViolations(byOperator, 0.5)).toEqual([]);
  });
});

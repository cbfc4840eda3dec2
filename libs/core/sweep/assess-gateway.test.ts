import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { type ScoredGateway, assessGateway, isUnhealthy } from './assess-gateway.js';
import { DEFAULT_SWEEP_SETTINGS, staleAfterMs } from './sweep-settings.js';
import { blockedVitals, healthyVitals, servingGateway } from './test-fixtures.js';

const NOW = 1_700_000_000_000;
const settings = DEFAULT_SWEEP_SETTINGS;
const assess = (gateway: Parameters<typeof assessGateway>[0]) => assessGateway(gateway, DEFAULT_POLICY, settings, NOW);

const scored = (assessment: ReturnType<typeof assess>): ScoredGateway => {
  if (assessment.kind !== 'scored') throw new Error(`expected a scored gateway, got ${JSON.stringify(assessment)}`);
  return assessment;
};

describe(assessGateway.name, () => {
  it('should find a gateway with fresh, quiet vitals healthy', () => {
    const result = scored(assess(servingGateway('gw-1', healthyVitals('gw-1', NOW - 200))));
    expect(result).toMatchObject({ score: 100, heartbeatLost: false, signals: [], verdict: { actions: ['none'], rule: null } });
    expect(isUnhealthy(result)).toBe(false);
  });

  it('should call a gateway whose vitals stopped coming heartbeat-lost, and the default tree degrades it', () => {
    const result = scored(assess(servingGateway('gw-1', healthyVitals('gw-1', NOW - staleAfterMs(settings) - 1))));
    expect(result.heartbeatLost).toBe(true);
    expect(result.signals).toEqual(expect.arrayContaining(['heartbeat-lost', 'decision-tree']));
    expect(result.verdict).toEqual({ actions: ['degrade'], rule: 'degrade-failing' });
    expect(result.deductions.map((d) => d.component)).toContain('heartbeatMisses');
    expect(result.facts).toEqual(['heartbeatLost']);
  });

  it('should call a write-blocked gateway unhealthy with the score below the threshold, and say what cost the points', () => {
    const result = scored(assess(servingGateway('gw-1', blockedVitals('gw-1', NOW - 100))));
    expect(result.signals).toEqual(['decision-tree']);
    expect(result.verdict.actions).toEqual(['degrade']);
    expect(result.deductions[0]).toMatchObject({ component: 'writeBlocked' });
    expect(result.facts).toEqual(['writeBlocked']);
    expect(result.score).toBeLessThan(100);
  });

  it('should call a gateway unhealthy on the score alone when many components are poor', () => {
    const vitals = healthyVitals('gw-1', NOW - 100, {
      rttSamplesMs: [1, 80, 2, 150, 1, 300],
      finRstPerSec: 500,
      synRetransmitPerSec: 100,
      writeBlockedRatio: 0.6,
    });
    const result = scored(assess(servingGateway('gw-1', vitals)));
    expect(result.score).toBeLessThan(DEFAULT_POLICY.hysteresis.fireBelow);
    expect(result.signals).toContain('score-below-threshold');
  });

  it.each([
    ['leaving', { gatewayId: 'gw-1', leaving: true, state: 'serving' as const, vitals: blockedVitals('gw-1', NOW) }],
    ['quarantined', { gatewayId: 'gw-1', leaving: false, state: 'quarantined' as const, vitals: blockedVitals('gw-1', NOW) }],
    ['draining', { gatewayId: 'gw-1', leaving: false, state: 'draining' as const, vitals: blockedVitals('gw-1', NOW) }],
    ['fenced', { gatewayId: 'gw-1', leaving: false, state: 'fenced' as const, vitals: blockedVitals('gw-1', NOW) }],
    ['no-vitals', servingGateway('gw-1', undefined)],
  ])('should skip a gateway that is %s, however bad its vitals', (why, gateway) => {
    expect(assess(gateway)).toEqual({ kind: 'skipped', gatewayId: 'gw-1', why });
  });

  it('should judge a suspect or degraded gateway like a serving one (its remediation may still be needed)', () => {
    const result = assess({ ...servingGateway('gw-1', blockedVitals('gw-1', NOW)), state: 'degraded' });
    expect(isUnhealthy(result)).toBe(true);
  });

  it('should call every gateway with stale vitals unhealthy, whatever they say', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: staleAfterMs(settings) + 1, max: 1e8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1_000, noNaN: true }), { maxLength: 64 }),
        (ageMs, writeBlockedRatio, rttSamplesMs) => {
          const vitals = healthyVitals('gw-1', NOW - ageMs, { writeBlockedRatio, rttSamplesMs });
          expect(isUnhealthy(assess(servingGateway('gw-1', vitals)))).toBe(true);
        },
      ),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { type ScoredGateway, assessGateway } from './assess-gateway.js';
import { sweepFindings } from './sweep-findings.js';
import { DEFAULT_SWEEP_SETTINGS, staleAfterMs } from './sweep-settings.js';
import { blockedVitals, healthyVitals, servingGateway } from './test-fixtures.js';

const NOW = 1_700_000_000_000;
const scored = (vitals: ReturnType<typeof healthyVitals>): ScoredGateway =>
  assessGateway(servingGateway('gw-1', vitals), DEFAULT_POLICY, DEFAULT_SWEEP_SETTINGS, NOW) as ScoredGateway;

describe(sweepFindings.name, () => {
  it('should hand on a lost heartbeat as a silent hang, naming the sweep run', () => {
    const stale = scored(blockedVitals('gw-1', NOW - staleAfterMs(DEFAULT_SWEEP_SETTINGS) - 1));
    expect(sweepFindings(stale, 'sweep:health-sweep-2026-01-01T00:00:00Z')).toEqual({
      detectorId: 'sweep:health-sweep-2026-01-01T00:00:00Z',
      facts: ['heartbeatLost', 'writeBlocked'],
      tier: 'health-sweep',
      classification: 'silent-hang',
    });
  });

  it('should classify fresh vitals by what they show', () => {
    expect(sweepFindings(scored(blockedVitals('gw-1', NOW)), 'sweep:x')).toMatchObject({ facts: ['writeBlocked'], classification: 'write-blocked' });
    const poor = scored(healthyVitals('gw-1', NOW, { rttSamplesMs: [1, 80, 2, 150, 1, 300], finRstPerSec: 500, synRetransmitPerSec: 100, writeBlockedRatio: 0.6 }));
    expect(poor.signals).toContain('score-below-threshold');
    expect(sweepFindings(poor, 'sweep:x')).toMatchObject({ facts: [], classification: 'unhealthy' });
  });
});

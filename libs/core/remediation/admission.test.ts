import { describe, expect, it } from '@jest/globals';
import { admitTrigger } from './admission.js';

const settings = { holdMs: 600_000 };

describe(admitTrigger.name, () => {
  it('should always let an operator start a run', () => {
    expect(admitTrigger('api', { state: 'needs-human', since: 0, by: 'remediate:gw-1' }, 1_000, settings)).toEqual({ kind: 'start' });
  });

  it('should absorb automatic triggers for a gateway held for a human until the quiet period passes', () => {
    const held = { state: 'needs-human' as const, since: 0, by: 'remediate:gw-1', reason: 'flapping' };
    for (const trigger of ['detector', 'sweep', 'lease-expired'] as const) {
      expect(admitTrigger(trigger, held, 30_000, settings)).toMatchObject({ kind: 'absorb', reason: expect.stringContaining('held for a human') });
    }
    expect(admitTrigger('detector', held, 600_000, settings)).toEqual({ kind: 'start' });
  });

  it('should absorb triggers for a gateway already taken out for good, and start for a degraded one (it may escalate)', () => {
    for (const state of ['quarantined', 'draining', 'fenced'] as const) {
      expect(admitTrigger('lease-expired', { state, since: 0, by: 'remediate:gw-1' }, 1, settings)).toMatchObject({ kind: 'absorb' });
    }
    expect(admitTrigger('detector', { state: 'degraded', since: 0, by: 'remediate:gw-1' }, 1, settings)).toEqual({ kind: 'start' });
    expect(admitTrigger('detector', undefined, 1, settings)).toEqual({ kind: 'start' });
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkBlastRadius } from './blast-radius.js';
import { dampFlapping } from './flap-damping.js';
import { type RemediationRecord, checkRateLimit } from './rate-limit.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `gw-${i}`);

describe(checkBlastRadius.name, () => {
  it('should allow one of three and refuse the second at the default 34 %', () => {
    const fleet = ids(3);
    expect(checkBlastRadius({ candidate: 'gw-0', fleet, serving: fleet, quarantined: [], maxQuarantinedFraction: 0.34 })).toEqual({ allowed: true });
    const second = checkBlastRadius({ candidate: 'gw-1', fleet, serving: ['gw-1', 'gw-2'], quarantined: ['gw-0'], maxQuarantinedFraction: 0.34 });
    expect(second).toMatchObject({ allowed: false, reason: expect.stringContaining('2 of 3') });
  });

  it('should never take out the last serving gateway, whatever the fraction', () => {
    const verdict = checkBlastRadius({ candidate: 'gw-1', fleet: ['gw-0', 'gw-1'], serving: ['gw-1'], quarantined: [], maxQuarantinedFraction: 1 });
    expect(verdict).toEqual({ allowed: false, reason: 'gw-1 is the last serving gateway' });
  });

  it('should be idempotent for a gateway already quarantined', () => {
    expect(checkBlastRadius({ candidate: 'gw-0', fleet: ids(3), serving: [], quarantined: ['gw-0', 'gw-1'], maxQuarantinedFraction: 0.1 })).toEqual({ allowed: true });
  });

  it('should never let the quarantined share exceed the limit, adding one gateway at a time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (size, fraction) => {
        const fleet = ids(size);
        const quarantined: string[] = [];
        for (const candidate of fleet) {
          const serving = fleet.filter((id) => !quarantined.includes(id));
          if (checkBlastRadius({ candidate, fleet, serving, quarantined, maxQuarantinedFraction: fraction }).allowed) quarantined.push(candidate);
        }
        expect(quarantined.length / size).toBeLessThanOrEqual(fraction);
        expect(quarantined.length).toBeLessThan(size);
      }),
    );
  });
});

const record = (gatewayId: string, startedAt: number, runId = `${gatewayId}-${startedAt}`): RemediationRecord => ({ gatewayId, workflowId: `remediate:${gatewayId}`, runId, startedAt });

describe(checkRateLimit.name, () => {
  const limit = { maxRemediations: 2, windowMs: 1_000, perGatewayCooldownMs: 0 };

  it('should refuse once the window is full and say when it frees up', () => {
    const history = [record('a', 100), record('b', 500)];
    expect(checkRateLimit(history, 'new', 900, limit)).toMatchObject({ allowed: false, retryAtMs: 1_100 });
    expect(checkRateLimit(history, 'new', 1_200, limit)).toEqual({ allowed: true });
  });

  it('should not count the run asking', () => {
    expect(checkRateLimit([record('a', 100, 'me'), record('b', 500)], 'me', 900, limit)).toEqual({ allowed: true });
  });
});

describe(dampFlapping.name, () => {
  const settings = { windowMs: 10_000, escalateAfter: 3 };

  it('should proceed for a gateway with no recent history', () => {
    expect(dampFlapping([record('gw', 0)], 'gw', 'now', 20_000, settings, 1_000)).toEqual({ kind: 'proceed' });
  });

  it('should back off inside the cool-down, then escalate when it keeps coming back', () => {
    expect(dampFlapping([record('gw', 5_000)], 'gw', 'now', 5_500, settings, 1_000)).toMatchObject({ kind: 'back-off', untilMs: 6_000 });
    expect(dampFlapping([record('gw', 1_000), record('gw', 5_000)], 'gw', 'now', 8_000, settings, 1_000)).toMatchObject({ kind: 'escalate' });
  });

  it('should ignore other gateways and the run itself', () => {
    expect(dampFlapping([record('other', 7_900), record('gw', 7_900, 'now')], 'gw', 'now', 8_000, settings, 1_000)).toEqual({ kind: 'proceed' });
  });
});

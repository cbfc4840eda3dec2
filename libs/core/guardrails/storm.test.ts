import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { type FleetMember, type StormState, assessStorm } from './storm.js';

const SETTINGS = DEFAULT_POLICY.guardrails.storm;
const NOW = 1_000_000;
const fleetOf = (zones: Record<string, number>): FleetMember[] =>
  Object.entries(zones).flatMap(([zone, n]) => Array.from({ length: n }, (_, i) => ({ id: `${zone}-${i}`, zone })));
const suspectsOf = (ids: string[], sinceMs = NOW - 1_000) => ids.map((gatewayId) => ({ gatewayId, sinceMs }));

const fleet = fc.record({ a: fc.integer({ min: 1, max: 12 }), b: fc.integer({ min: 1, max: 12 }), c: fc.integer({ min: 0, max: 12 }) }).map(fleetOf);
const scenario = fleet.chain((members) =>
  fc.tuple(fc.constant(members), fc.subarray(members.map((m) => m.id)), fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: members.length, maxLength: members.length })),
);

describe(assessStorm.name, () => {
  it('should begin a storm exactly when the fleet or a zone has more than its fraction suspect within the window, and at least minSuspects', () => {
    fc.assert(
      fc.property(scenario, ([members, ids, ages]) => {
        const suspects = ids.map((gatewayId, i) => ({ gatewayId, sinceMs: NOW - ages[i]! }));
        const recent = new Set(suspects.filter((s) => NOW - s.sinceMs <= SETTINGS.windowMs).map((s) => s.gatewayId));
        const over = (group: FleetMember[], fraction: number) => {
          const n = group.filter((m) => recent.has(m.id)).length;
          return n >= SETTINGS.minSuspects && n > fraction * group.length;
        };
        const zones = [...new Set(members.map((m) => m.zone))];
        const expected = over(members, SETTINGS.fleetFraction) || zones.some((z) => over(members.filter((m) => m.zone === z), SETTINGS.zoneFraction));
        const step = assessStorm({ fleet: members, suspects, current: null, atMs: NOW, settings: SETTINGS });
        expect(step.kind === 'began').toBe(expected);
        if (step.kind !== 'began') expect(step.kind).toBe('calm');
      }),
    );
  });

  it('should never begin one with fewer suspects than minSuspects, however small the fleet', () => {
    const step = assessStorm({ fleet: fleetOf({ a: 2 }), suspects: suspectsOf(['a-0', 'a-1']), current: null, atMs: NOW, settings: SETTINGS });
    expect(step.kind).toBe('calm');
  });

  it('should name the fleet for half of it down, and a zone for an outage of one zone', () => {
    const members = fleetOf({ a: 10, b: 10 });
    const fleetWide = assessStorm({ fleet: members, suspects: suspectsOf(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2', 'b-3']), current: null, atMs: NOW, settings: SETTINGS });
    expect(fleetWide).toMatchObject({ kind: 'began', storm: { scope: 'fleet', reason: expect.stringMatching(/^7 of 20 gateways suspect/) } });
    const zone = assessStorm({ fleet: fleetOf({ a: 10, b: 30 }), suspects: suspectsOf(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5']), current: null, atMs: NOW, settings: SETTINGS });
    expect(zone).toMatchObject({ kind: 'began', storm: { scope: 'zone:a', suspects: ['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'] } });
  });

  it('should lift only after quietMs without a new suspect, and never while the storm still holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.boolean(), (quietFor, stillOver) => {
        const members = fleetOf({ a: 10 });
        const current: StormState = { sinceMs: 0, scope: 'zone:a', suspects: ['a-0'], lastSuspectAtMs: NOW - quietFor, reason: 'r' };
        const suspects = stillOver ? suspectsOf(['a-0', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'], NOW - 100) : [];
        const step = assessStorm({ fleet: members, suspects, current, atMs: NOW, settings: SETTINGS });
        expect(step.kind === 'lifted').toBe(!stillOver && quietFor >= SETTINGS.quietMs);
        if (step.kind === 'continues' && stillOver) expect(step.storm.lastSuspectAtMs).toBe(Math.max(NOW - quietFor, NOW - 100));
      }),
    );
  });

  it('should ignore suspects that are not in the fleet, or from the future', () => {
    const step = assessStorm({ fleet: fleetOf({ a: 3 }), suspects: [...suspectsOf(['x-0', 'x-1', 'x-2']), { gatewayId: 'a-0', sinceMs: NOW + 5 }], current: null, atMs: NOW, settings: SETTINGS });
    expect(step.kind).toBe('calm');
  });
});

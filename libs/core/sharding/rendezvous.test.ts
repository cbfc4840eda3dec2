import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type ObserverMember, observersFor } from './rendezvous.js';
import { stableHash } from './stable-hash.js';

const member: fc.Arbitrary<ObserverMember> = fc.record({ id: fc.stringMatching(/^det-[a-z0-9]{1,6}$/), zone: fc.constantFrom('a', 'b', 'c') });
const members = fc.uniqueArray(member, { selector: (m) => m.id, minLength: 1, maxLength: 8 });
const gatewayIds = fc.uniqueArray(fc.stringMatching(/^gw-[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 40 });
const ids = (chosen: readonly ObserverMember[]) => chosen.map((m) => m.id);

describe(observersFor.name, () => {
  it('should choose k distinct live observers, or all of them when fewer are alive', () => {
    fc.assert(
      fc.property(members, gatewayIds, fc.integer({ min: 1, max: 4 }), (live, gateways, k) => {
        for (const gw of gateways) {
          const chosen = observersFor(gw, live, k);
          expect(new Set(ids(chosen)).size).toBe(Math.min(k, live.length));
          expect(chosen.every((m) => live.includes(m))).toBe(true);
        }
      }),
    );
  });

  it('should give every detector the same answer whatever order it lists the members in', () => {
    fc.assert(
      fc.property(members, gatewayIds, fc.integer({ min: 1, max: 3 }), (live, gateways, k) => {
        const reversed = [...live].reverse();
        for (const gw of gateways) expect(ids(observersFor(gw, reversed, k))).toEqual(ids(observersFor(gw, live, k)));
      }),
    );
  });

  it('should cover as many zones as it can before doubling up in one', () => {
    fc.assert(
      fc.property(members, gatewayIds, fc.integer({ min: 1, max: 3 }), (live, gateways, k) => {
        const liveZones = new Set(live.map((m) => m.zone)).size;
        for (const gw of gateways) expect(new Set(observersFor(gw, live, k).map((m) => m.zone)).size).toBe(Math.min(k, liveZones));
      }),
    );
  });

  it('should reshuffle only the gateways a leaving detector observed', () => {
    fc.assert(
      fc.property(members.filter((m) => m.length > 1), gatewayIds, fc.integer({ min: 1, max: 3 }), fc.nat(), (live, gateways, k, pick) => {
        const leaving = live[pick % live.length]!;
        const rest = live.filter((m) => m !== leaving);
        for (const gw of gateways) {
          const before = ids(observersFor(gw, live, k));
          if (!before.includes(leaving.id)) expect(ids(observersFor(gw, rest, k))).toEqual(before);
        }
      }),
    );
  });

  it('should reshuffle only the gateways a joining detector comes to observe', () => {
    fc.assert(
      fc.property(members, member, gatewayIds, fc.integer({ min: 1, max: 3 }), (live, joining, gateways, k) => {
        fc.pre(!live.some((m) => m.id === joining.id));
        for (const gw of gateways) {
          const after = ids(observersFor(gw, [...live, joining], k));
          if (!after.includes(joining.id)) expect(after).toEqual(ids(observersFor(gw, live, k)));
        }
      }),
    );
  });

  it('should spread a large fleet evenly over the detectors', () => {
    const live = ['d1', 'd2', 'd3', 'd4'].map((id) => ({ id, zone: 'a' }));
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) for (const m of observersFor(`gw-${i}`, live, 1)) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    for (const count of counts.values()) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });
});

describe(stableHash.name, () => {
  it('should be stable across calls and sensitive to every character', () => {
    expect(stableHash('det-1\u0000gw-1')).toBe(stableHash('det-1\u0000gw-1'));
    expect(stableHash('det-1\u0000gw-1')).not.toBe(stableHash('det-1\u0000gw-2'));
    expect(Number.isSafeInteger(stableHash('x'.repeat(1_000)))).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../rebalance/seeded-random.js';
import { pickVictims } from './pick-victims.js';

describe(pickVictims.name, () => {
  const fleet = ['gw-1', 'gw-2', 'gw-3', 'gw-4'];

  it('should choose the same victims for the same seed', () => {
    expect(pickVictims(fleet, 2, new Map(), seededRandom(42))).toEqual(pickVictims(fleet, 2, new Map(), seededRandom(42)));
  });

  it('should prefer gateways hit longest ago, and never pick one twice', () => {
    const lastHit = new Map([['gw-1', 3], ['gw-2', 1], ['gw-3', 2]]);
    expect(pickVictims(fleet, 2, lastHit, seededRandom(1))).toEqual(['gw-4', 'gw-2']);
  });

  it('should refuse to pick more victims than there are gateways', () => {
    expect(() => pickVictims(fleet, 5, new Map(), seededRandom(1))).toThrow('cannot pick 5 victims from 4 gateways');
  });
});

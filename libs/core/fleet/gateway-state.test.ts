import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GATEWAY_STATES, acceptsSessions, isIsolated, isOutOfRotation, mustShedSessions } from './gateway-state.js';

describe('gateway state predicates', () => {
  const anyState = fc.option(fc.constantFrom(...GATEWAY_STATES), { nil: undefined });

  it('should never call a gateway both in rotation for new sessions and out of rotation', () => {
    fc.assert(fc.property(anyState, (state) => !(acceptsSessions(state) && isOutOfRotation(state))));
  });

  it('should count every isolated or fenced gateway as out of rotation', () => {
    fc.assert(fc.property(anyState, (state) => (!isIsolated(state) && !mustShedSessions(state)) || isOutOfRotation(state)));
  });

  it('should keep a degraded gateway out of rotation but not isolated: it still holds sessions and may need escalating', () => {
    expect(isOutOfRotation('degraded')).toBe(true);
    expect(isIsolated('degraded')).toBe(false);
  });

  it('should treat an unknown state (a first registration) and a detector\'s suspicion as in rotation', () => {
    expect(isOutOfRotation(undefined)).toBe(false);
    expect(isOutOfRotation('suspect')).toBe(false);
    expect(isOutOfRotation('serving')).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { type GateVerdict, gatedInput } from './publish-gate.js';

const verdict = (enforce: boolean): GateVerdict => ({ enforce, reason: enforce ? 'within the bound' : 'removes 3 gateway(s), more than the bound of 1: stored in shadow mode', lookbackHours: 24, maxRemovals: 1, summary: null });
const requireSimulation = { lookbackHours: 24, maxRemovals: 1 };

describe(gatedInput.name, () => {
  it('should store a policy over the bound in shadow mode, with the reason', () => {
    expect(gatedInput({ name: 'p', mode: 'enforce', lab: { requireSimulation } }, verdict(false))).toEqual({
      name: 'p',
      mode: 'shadow',
      lab: { requireSimulation, shadowReason: 'removes 3 gateway(s), more than the bound of 1: stored in shadow mode' },
    });
  });

  it('should store a policy within the bound as written, without a reason left from an earlier refusal', () => {
    expect(gatedInput({ name: 'p', mode: 'enforce', lab: { requireSimulation, shadowReason: 'old' } }, verdict(true))).toEqual({ name: 'p', mode: 'enforce', lab: { requireSimulation } });
  });
});

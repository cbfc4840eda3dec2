import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ACTIONS, actionSeverity, isAction, mostSevereAction } from './actions.js';

describe(mostSevereAction.name, () => {
  it('should pick the most disruptive action, and none for an empty list', () => {
    expect(mostSevereAction(['migrate', 'quarantine'])).toBe('migrate');
    expect(mostSevereAction([])).toBe('none');
  });

  it('should return a member of the list that no other member outranks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIONS), { minLength: 1 }), (actions) => {
        const worst = mostSevereAction(actions);
        expect(actions).toContain(worst);
        for (const a of actions) expect(actionSeverity(a)).toBeLessThanOrEqual(actionSeverity(worst));
      }),
    );
  });
});

describe(isAction.name, () => {
  it('should know exactly the listed actions', () => {
    expect(ACTIONS.every(isAction)).toBe(true);
    expect(isAction('reboot')).toBe(false);
    expect(isAction(3)).toBe(false);
  });
});

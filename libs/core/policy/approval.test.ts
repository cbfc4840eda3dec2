import { describe, expect, it } from '@jest/globals';
import { requiresApproval } from './approval.js';

const approval = { requiredFrom: 'quarantine' as const, timeoutMs: 1_000, onTimeout: 'reject' as const, fourEyes: false };

describe(requiresApproval.name, () => {
  it('should ask for approval from the configured severity up', () => {
    expect(requiresApproval(['observe'], approval)).toBe(false);
    expect(requiresApproval(['degrade'], approval)).toBe(false);
    expect(requiresApproval(['quarantine', 'migrate'], approval)).toBe(true);
    expect(requiresApproval(['drain'], approval)).toBe(true);
  });

  it('should never ask when approval is switched off', () => {
    expect(requiresApproval(['drain'], { ...approval, requiredFrom: null })).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { leaseMove } from './lease-claim.js';

describe(leaseMove.name, () => {
  it('should renew its own lease, take a free or stale one and wait for a live one', () => {
    expect(leaseMove({ holder: 'a', renewedAtMs: 0, durationMs: 1_000 }, 'a', 5_000)).toBe('renew');
    expect(leaseMove({ holder: undefined, renewedAtMs: undefined, durationMs: 1_000 }, 'a', 0)).toBe('take');
    expect(leaseMove({ holder: 'b', renewedAtMs: 0, durationMs: 1_000 }, 'a', 1_001)).toBe('take');
    expect(leaseMove({ holder: 'b', renewedAtMs: 0, durationMs: 1_000 }, 'a', 1_000)).toBe('wait');
  });

  it('should never let two candidates both think they may keep a live lease', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (renewedAtMs, elapsed) => {
        const lease = { holder: 'b', renewedAtMs, durationMs: 2_000 };
        const a = leaseMove(lease, 'a', renewedAtMs + elapsed);
        const b = leaseMove(lease, 'b', renewedAtMs + elapsed);
        expect(b).toBe('renew');
        expect(a === 'take').toBe(elapsed > 2_000);
      }),
    );
  });
});

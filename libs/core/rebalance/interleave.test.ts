import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { interleave } from './interleave.js';

describe(interleave.name, () => {
  it('should emit each owner exactly its count, less than two units off its share in any prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 6 }), (counts) => {
        const sequence = interleave(counts);
        const total = counts.reduce((sum, count) => sum + count, 0);
        expect(sequence).toHaveLength(total);
        const seen = counts.map(() => 0);
        sequence.forEach((owner, position) => {
          seen[owner] = (seen[owner] ?? 0) + 1;
          seen.forEach((count, index) => {
            expect(Math.abs(count - ((position + 1) * (counts[index] ?? 0)) / total)).toBeLessThan(2);
          });
        });
        expect(seen).toEqual(counts);
      }),
    );
  });

  it('should alternate owners of equal weight', () => {
    expect(interleave([3, 3])).toEqual([0, 1, 0, 1, 0, 1]);
    expect(interleave([2, 1])).toEqual([0, 1, 0]);
  });
});

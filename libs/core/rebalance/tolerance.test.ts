import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isWithinTolerance, meanUtilisation, toleranceBand } from './tolerance.js';

describe(meanUtilisation.name, () => {
  it('should weigh gateways by capacity', () => {
    expect(meanUtilisation([{ capacity: 100, connections: 50 }, { capacity: 300, connections: 50 }])).toBe(0.25);
    expect(meanUtilisation([])).toBe(0);
  });
});

describe(toleranceBand.name, () => {
  it('should contain exactly the whole counts that are within tolerance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (capacity, mean, tolerance) => {
          const band = toleranceBand(capacity, mean, tolerance);
          for (let connections = 0; connections <= capacity * 2; connections++) {
            const inBand = connections >= band.min && connections <= band.max;
            expect(inBand).toBe(isWithinTolerance(connections, capacity, mean, tolerance));
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

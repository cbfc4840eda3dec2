import { describe, expect, it } from '@jest/globals';
import type { AggregatedResult } from '@jest/test-result';
import { closingLine } from './closing-line-reporter.mjs';

// Only the counts closingLine reads; the rest of jest's aggregate does not matter here.
const results = (counts: Partial<AggregatedResult>): AggregatedResult =>
  ({ numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numRuntimeErrorTestSuites: 0, ...counts }) as AggregatedResult;

describe(closingLine.name, () => {
  it('should print passed and failed in the plain "N passed, N failed" form', () => {
    expect(closingLine(results({ numPassedTests: 1260 }))).toBe('tests: 1260 passed, 0 failed');
  });

  it('should add skipped and todo tests as skipped only when there are any', () => {
    expect(closingLine(results({ numPassedTests: 5, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1 }))).toBe('tests: 5 passed, 1 failed, 3 skipped');
  });

  it('should count a suite that could not run as a failure, so a failed run never reads "0 failed"', () => {
    expect(closingLine(results({ numPassedTests: 7, numRuntimeErrorTestSuites: 2 }))).toBe('tests: 7 passed, 2 failed');
  });
});

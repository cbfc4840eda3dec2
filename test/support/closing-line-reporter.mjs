// Ends `npm test` with one plain line, `tests: N passed, N failed[, N skipped]`, after jest's own
// summary. Jest's "Tests: 1260 passed, 1260 total" is a format that generic CI log readers do not
// know, so they read the closing line they did know (schemathesis' pytest-style "2 warnings in
// 240 s") and recorded the run as one that executed no test. That line won even with this one
// after it (stop 21), so scripts/schemathesis.sh rewords it in the log as well.
//
// A suite that could not run at all (a syntax error, a failing import) has no tests to count, so
// it is counted as one failed test: the line never reads "0 failed" for a run that failed.
import { writeSync } from 'node:fs';

/** @param {import('@jest/test-result').AggregatedResult} results */
export function closingLine(results) {
  const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  const skipped = results.numPendingTests + results.numTodoTests;
  return `tests: ${results.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

export default class ClosingLineReporter {
  /** @param {unknown} _contexts @param {import('@jest/test-result').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    // Jest adds its summary reporter after every custom one, and the global teardown prints too:
    // the line goes out when the process exits, so it is the last line of the log.
    const line = closingLine(results);
    process.once('exit', () => writeSync(1, `${line}\n`));
  }
}

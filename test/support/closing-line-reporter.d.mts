import type { AggregatedResult } from '@jest/test-result';

export function closingLine(results: AggregatedResult): string;
export default class ClosingLineReporter {
  onRunComplete(contexts: unknown, results: AggregatedResult): void;
}

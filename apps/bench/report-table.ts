import { type Summary, summarise } from '#core';

export interface BenchRow {
  /** Stable id in `--json` output; by default derived from the section and metric (see bench-json.ts). */
  readonly id?: string;
  readonly metric: string;
  readonly summary?: Summary;
  /** For rows that are one figure, not a distribution (e.g. messages lost). */
  readonly count?: number | string;
  readonly unit?: string;
}

export const timingRow = (metric: string, valuesMs: readonly number[]): BenchRow => ({ metric, summary: summarise(valuesMs), unit: 'ms' });

const fmt = (value: number, unit: string): string => (Number.isFinite(value) ? `${Math.round(value)} ${unit}` : 'n/a');

export const formatTable = (rows: readonly BenchRow[]): string => {
  const header = ['metric'.padEnd(46), 'n'.padStart(4), 'p50'.padStart(10), 'p99'.padStart(10), 'max'.padStart(10)].join(' ');
  const lines = rows.map((row) => {
    const name = row.metric.padEnd(46);
    if (row.summary) {
      const { n, p50, p99, max } = row.summary;
      const unit = row.unit ?? '';
      return [name, String(n).padStart(4), fmt(p50, unit).padStart(10), fmt(p99, unit).padStart(10), fmt(max, unit).padStart(10)].join(' ');
    }
    return `${name} ${`${String(row.count ?? 'n/a')}${row.unit ? ` ${row.unit}` : ''}`.padStart(4)}`;
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n');
};

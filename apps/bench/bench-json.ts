import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { type BenchRow } from './report-table.js';

/** One figure as machines read it: a stable id, its unit, and the distribution or the single value. */
export interface BenchFigure {
  readonly id: string;
  readonly section: string;
  readonly metric: string;
  readonly unit: string;
  readonly n: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** Rows that are one figure (e.g. messages lost) rather than a distribution. */
  readonly value: number | string | null;
}

export interface BenchDocument {
  readonly commit: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly runs: number;
  readonly machine: { readonly cpus: number; readonly loadAverageAtEnd: readonly number[] };
  readonly figures: readonly BenchFigure[];
}

/**
 * A row's id: the explicit one if it has one, else derived from its section and
 * metric name, so the same row keeps the same id from run to run and commit to
 * commit (rename a metric and you rename its id: give it an explicit `id` then).
 */
export const figureId = (section: string, row: BenchRow): string =>
  row.id ??
  `${section}.${row.metric
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;

const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);

export const toFigure = (section: string, row: BenchRow): BenchFigure => ({
  id: figureId(section, row),
  section,
  metric: row.metric,
  unit: row.unit ?? '',
  n: row.summary ? row.summary.n : null,
  p50: finiteOrNull(row.summary?.p50),
  p99: finiteOrNull(row.summary?.p99),
  max: finiteOrNull(row.summary?.max),
  value: row.count ?? null,
});

const gitCommit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

/** Collects the figures of every section as they are measured, then writes them once. */
export class BenchRecorder {
  private readonly figures: BenchFigure[] = [];
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly runs: number) {}

  add(section: string, rows: readonly BenchRow[]): void {
    for (const row of rows) {
      const figure = toFigure(section, row);
      if (this.figures.some((f) => f.id === figure.id)) throw new Error(`two bench rows share the id ${figure.id}: give one an explicit id`);
      this.figures.push(figure);
    }
  }

  document(): BenchDocument {
    return {
      commit: gitCommit(),
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      runs: this.runs,
      machine: { cpus: cpus().length, loadAverageAtEnd: loadavg() },
      figures: this.figures,
    };
  }

  async write(file: string): Promise<void> {
    await writeFile(file, `${JSON.stringify(this.document(), null, 2)}\n`);
  }
}

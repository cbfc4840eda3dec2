/** One scenario's line on the scorecard: what was done, what happened, how long healing took, what broke. */
export interface ScenarioScore {
  readonly scenario: string;
  readonly fault: string;
  /** What the run(s) did, e.g. `healed (quarantine+migrate)`, or why nothing was needed. */
  readonly outcome: string;
  /** Fault → first run started (ms); undefined when nothing was started. */
  readonly timeToDetectMs?: number;
  /** Fault → a victim's etcd state said it takes no new sessions (ms). */
  readonly timeOutOfRotationMs?: number;
  /** Fault → every session of the victims connected elsewhere (ms). */
  readonly timeRehomedMs?: number;
  /** Sessions on the victims when the fault hit. */
  readonly sessions: number;
  /** Messages checked: distinct ones of the scenario's window that arrived, over every client. */
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly runsStarted: number;
  /** Each run started during the scenario: `workflowId type → outcome: reason` (the JSON's evidence for the verdict). */
  readonly runs?: readonly string[];
  /** Every invariant that broke, one line each; empty: pass. */
  readonly violations: readonly string[];
  readonly verdict: 'pass' | 'fail';
}

export interface Scorecard {
  readonly profile: string;
  readonly seed: number;
  readonly sessions: number;
  readonly startedAt: string;
  readonly scenarios: readonly ScenarioScore[];
  /** Scenarios of the profile not played, each with the reason. */
  readonly skipped?: readonly string[];
  /** Invariants broken after the last scenario (processes left behind once everything was stopped). */
  readonly afterRun?: readonly string[];
  readonly verdict: 'pass' | 'fail';
}

export const verdictOf = (violations: readonly string[]): 'pass' | 'fail' => (violations.length === 0 ? 'pass' : 'fail');

const ms = (value: number | undefined): string => (value === undefined ? '—' : `${Math.round(value)}`);

const COLUMNS: readonly { readonly head: string; readonly cell: (s: ScenarioScore) => string }[] = [
  { head: 'scenario', cell: (s) => s.scenario },
  { head: 'fault', cell: (s) => s.fault },
  { head: 'outcome', cell: (s) => s.outcome },
  { head: 'detect ms', cell: (s) => ms(s.timeToDetectMs) },
  { head: 'out ms', cell: (s) => ms(s.timeOutOfRotationMs) },
  { head: 're-homed ms', cell: (s) => ms(s.timeRehomedMs) },
  { head: 'lost/dup/reord', cell: (s) => `${s.lost}/${s.duplicated}/${s.reordered}` },
  { head: 'runs', cell: (s) => String(s.runsStarted) },
  { head: 'verdict', cell: (s) => s.verdict.toUpperCase() },
];

/** The scorecard as a plain-text table, then every violation under the scenario it broke. */
export const renderScorecard = (card: Scorecard): string => {
  const rows = [COLUMNS.map((c) => c.head), ...card.scenarios.map((s) => COLUMNS.map((c) => c.cell(s)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const table = [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const failures = [
    ...card.scenarios.filter((s) => s.violations.length > 0).flatMap((s) => [`${s.scenario}:`, ...s.violations.map((v) => `  - ${v}`)]),
    ...(card.afterRun?.length ? ['after the run:', ...card.afterRun.map((v) => `  - ${v}`)] : []),
  ];
  const head = `chaos ${card.profile} profile, seed ${card.seed}, ${card.sessions} sessions: ${card.verdict.toUpperCase()}`;
  const skipped = card.skipped?.length ? ['', 'skipped:', ...card.skipped.map((s) => `  - ${s}`)] : [];
  return [head, '', ...table, ...skipped, ...(failures.length ? ['', 'broken invariants:', ...failures] : [])].join('\n');
};

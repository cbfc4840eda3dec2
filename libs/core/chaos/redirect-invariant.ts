import { type ClientJournal } from './client-journal.js';
import { type RunRecord } from './run-record.js';

export interface RedirectFinding {
  /** Sessions redirected more than once by one run: each move must redirect a session once. */
  readonly doubleRedirects: readonly string[];
  /** Redirects no run explains (not within any run's lifetime). */
  readonly unexplained: number;
  /** Redirects made while several rebalances were open: charged to none of them. */
  readonly ambiguous: number;
  readonly redirects: number;
}

/** Redirects reach the client a little after the run's close is recorded (ms). */
const CLOSE_SLACK_MS = 2_000;

const within = (run: RunRecord, at: number): boolean => run.startedAt <= at && at <= (run.closedAt ?? Number.POSITIVE_INFINITY) + CLOSE_SLACK_MS;

/** Runs that move sessions on their own account: a gateway's remediation, or a fleet-wide rebalance (child runs act for these). */
const MOVERS = new Set(['remediateGateway', 'rebalanceFleet']);

/**
 * The run a redirect belongs to: the remediation of its source gateway open at the time, else
 * the one fleet-wide rebalance open at the time. When several rebalances are open they take
 * turns (one acts, the others wait on the fleet-wide claim), and the journal cannot tell which
 * one sent it: the redirect is `ambiguous`, counted but charged to none.
 */
const attribute = (runs: readonly RunRecord[], from: string | undefined, at: number): RunRecord | 'ambiguous' | undefined => {
  const remediation = runs.find((r) => r.type === 'remediateGateway' && r.gatewayId === from && within(r, at));
  if (remediation) return remediation;
  const fleetWide = runs.filter((r) => MOVERS.has(r.type) && r.gatewayId === undefined && within(r, at));
  return fleetWide.length > 1 ? 'ambiguous' : fleetWide[0];
};

/** Checks "no session redirected twice for one move" over every client's recorded moves since `since`. */
export const auditRedirects = (journals: readonly ClientJournal[], runs: readonly RunRecord[], since: number): RedirectFinding => {
  const doubles: string[] = [];
  let unexplained = 0;
  let ambiguous = 0;
  let redirects = 0;
  for (const journal of journals) {
    const perRun = new Map<string, number>();
    for (const move of journal.moves) {
      if (move.via !== 'redirect' || move.at < since) continue;
      redirects += 1;
      const run = attribute(runs, move.from, move.at);
      if (!run) {
        unexplained += 1;
        continue;
      }
      if (run === 'ambiguous') {
        ambiguous += 1;
        continue;
      }
      const key = `${run.workflowId}/${run.runId}`;
      const count = (perRun.get(key) ?? 0) + 1;
      perRun.set(key, count);
      if (count === 2) doubles.push(`${journal.sessionId} by ${run.workflowId}`);
    }
  }
  return { doubleRedirects: doubles, unexplained, ambiguous, redirects };
};

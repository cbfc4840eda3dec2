import { type Action } from '../decision/index.js';

/**
 * What an action promised, and so what verification checks:
 * - `refusing` (degrade): out of rotation and refusing new sessions; its sessions may stay;
 * - `emptied` (quarantine, drain, migrate): out of rotation and no session left on it;
 * - `gone` (a dead or fenced gateway): out of rotation, not answering, and its clients seen on other gateways.
 */
export type VerificationPromise = 'refusing' | 'emptied' | 'gone';

export const promiseOf = (actions: readonly Action[], sourceGone: boolean): VerificationPromise | undefined => {
  if (sourceGone && actions.some((a) => a !== 'none' && a !== 'observe')) return 'gone';
  if (actions.some((a) => a === 'quarantine' || a === 'migrate' || a === 'drain')) return 'emptied';
  if (actions.includes('degrade')) return 'refusing';
  return undefined;
};

/** What verification looked at; `undefined` wherever the fact could not be observed. */
export interface VerificationFacts {
  readonly gatewayId: string;
  /** From etcd: whether its state record lets routing send it sessions. */
  readonly inRotation: boolean;
  readonly state: string | undefined;
  /** From etcd: whether it holds a registration (a lease) that is not marked leaving. */
  readonly registered: boolean;
  /** Whether its agent answered, and if it did not, why. */
  readonly agent:
    | { readonly reachable: true; readonly accepting: boolean; readonly sessions: number }
    | { readonly reachable: false; readonly why: 'refused' | 'timeout' | 'error' | 'no-address' };
  /** Sessions that arrived on other gateways from this one, as their agents counted them (undefined: no agent answered). */
  readonly clientsElsewhere?: { readonly count: number; readonly byGateway: Readonly<Record<string, number>>; readonly lastArrivalAt?: number; readonly unanswered?: readonly string[] };
  /** How many clients it held when the run last saw it (undefined: never seen). */
  readonly expectedClients?: number;
  /** Its own agent said no session was left when the run's migration ended (the agent's count, observed before it exited). */
  readonly sourceReportedEmpty?: boolean;
  /** Serving gateways whose agents answered. */
  readonly servingAnswering: readonly string[];
}

/** One fact in the report: its value, and whether it was seen or taken for granted. */
export interface FactCheck {
  readonly fact: string;
  readonly value: unknown;
  readonly observed: boolean;
  readonly ok: boolean;
  readonly detail: string;
}

export interface VerificationVerdict {
  readonly promise: VerificationPromise;
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly checks: readonly FactCheck[];
}

const check = (fact: string, value: unknown, observed: boolean, ok: boolean, detail: string): FactCheck => ({ fact, value, observed, ok, detail });

/**
 * Out of rotation by its state record, or because it left the fleet: a gateway that shuts down
 * cleanly (a drained pod) revokes its lease and deletes its own state record, and routing only
 * sends sessions to registered gateways. A serving record without a registration still counts
 * as in rotation: the process could come back under it.
 */
const rotationCheck = (f: VerificationFacts): FactCheck => {
  if (!f.registered && f.state === undefined) return check('out-of-rotation', true, true, true, 'left the fleet: no registration and no state in etcd');
  return check('out-of-rotation', !f.inRotation, true, !f.inRotation, `state ${f.state ?? 'none'} in etcd: ${f.inRotation ? 'still in rotation' : 'out of rotation'}`);
};

const servingCheck = (f: VerificationFacts): FactCheck =>
  check(
    'serving-gateways',
    f.servingAnswering,
    true,
    f.servingAnswering.length > 0,
    f.servingAnswering.length > 0 ? `serving and answering: ${f.servingAnswering.join(', ')}` : 'no serving gateway answered',
  );

const unknownAgent = (f: VerificationFacts, fact: string): FactCheck =>
  check(fact, undefined, false, false, `unknown: the agent of ${f.gatewayId} did not answer (${f.agent.reachable ? '' : f.agent.why})`);

const refusingCheck = (f: VerificationFacts): FactCheck =>
  f.agent.reachable
    ? check('refusing-new-sessions', !f.agent.accepting, true, !f.agent.accepting, f.agent.accepting ? 'its agent still accepts new sessions' : 'its agent refuses new sessions')
    : unknownAgent(f, 'refusing-new-sessions');

/**
 * Emptied, as its agent says; or, once its agent no longer answers (a drained pod exits when
 * its last session has gone), as the other gateways say: every client it held counted there.
 */
const emptiedCheck = (f: VerificationFacts): FactCheck => {
  if (f.agent.reachable) return check('sessions-left', f.agent.sessions, true, f.agent.sessions === 0, `${f.agent.sessions} sessions still on ${f.gatewayId} (its agent says)`);
  const elsewhere = f.clientsElsewhere;
  // Out of rotation, so nothing could arrive after its agent counted zero; gone since (nothing listens).
  if (f.sourceReportedEmpty && (f.agent.why === 'refused' || f.agent.why === 'no-address')) {
    const counted = elsewhere && f.expectedClients !== undefined ? `; ${elsewhere.count} of its ${f.expectedClients} clients counted on other gateways` : '';
    return check('sessions-left', 0, true, true, `its agent reported no session left when the migration ended, then exited (${f.agent.why})${counted}`);
  }
  if (!elsewhere || f.expectedClients === undefined) return unknownAgent(f, 'sessions-left');
  const all = elsewhere.count >= f.expectedClients;
  return check(
    'sessions-left',
    all ? 0 : undefined,
    all,
    all,
    `its agent no longer answers (${f.agent.why}); ${elsewhere.count} of its ${f.expectedClients} clients counted on other gateways`,
  );
};

const goneChecks = (f: VerificationFacts): FactCheck[] => {
  const answering = f.agent.reachable
    ? check('process-gone', false, true, f.agent.sessions === 0, `its agent still answers, with ${f.agent.sessions} sessions`)
    : check('process-gone', true, true, true, `its agent does not answer (${f.agent.why})`);
  const elsewhere = f.clientsElsewhere;
  if (!elsewhere) return [answering, check('clients-elsewhere', undefined, false, false, 'unknown: no other gateway answered')];
  const where = Object.entries(elsewhere.byGateway)
    .map(([g, n]) => `${g}: ${n}`)
    .join(', ');
  const silent = elsewhere.unanswered?.length ? `; not answering, so not counted: ${elsewhere.unanswered.join(', ')}` : '';
  const seen = check('clients-elsewhere', elsewhere.count, true, f.expectedClients === undefined || elsewhere.count >= f.expectedClients, `${elsewhere.count} of its clients seen on other gateways${where ? ` (${where})` : ''}${silent}`);
  const expected =
    f.expectedClients === undefined
      ? check('clients-before', undefined, false, true, 'assumed: how many clients it held was never seen (it was gone before the run looked)')
      : check('clients-before', f.expectedClients, true, true, `${f.expectedClients} clients on it when the run last saw it`);
  return [answering, seen, expected];
};

/** Pure: does what the run observed keep what its action promised? Anything not observed fails. */
export const judgeVerification = (promise: VerificationPromise, f: VerificationFacts): VerificationVerdict => {
  const specific = promise === 'refusing' ? [refusingCheck(f)] : promise === 'emptied' ? [emptiedCheck(f)] : goneChecks(f);
  const checks = [rotationCheck(f), ...specific, servingCheck(f)];
  const problems = checks.filter((c) => !c.ok).map((c) => `${c.fact}: ${c.detail}`);
  return { promise, ok: problems.length === 0, problems, checks };
};

/**
 * How long before an incident's first trigger its gateway may already have been gone: the
 * slowest trigger, lease expiry, fires within a few lease TTLs (seconds) of the crash.
 */
export const INCIDENT_LOOKBACK_MS = 30_000;

/**
 * Which sessions that came from a gateway count as this incident's clients coming back: those
 * that reconnected on their own since `since`, and those redirected away since `redirectsSince`.
 */
export interface ArrivalWindow {
  readonly since: number;
  readonly redirectsSince: number;
}

/**
 * The window of an incident whose first trigger came at `firstTriggerAt` (found by the chaos
 * gate: "792 of its 517 clients came back" for a gateway killed a second time). A session that
 * came from the gateway in an earlier incident and stayed is still recorded as from it, so
 * reconnects count from a lookback before the trigger (the crash precedes it). A session a
 * rebalance moved off it shortly before (a redirect while it was healthy) was not one of its
 * clients when it died: redirects count only from the trigger on (this incident's own moves).
 */
export const incidentArrivalWindow = (firstTriggerAt: number): ArrivalWindow => ({
  since: Math.max(0, firstTriggerAt - INCIDENT_LOOKBACK_MS),
  redirectsSince: firstTriggerAt,
});

/** Whether an arrival (when, and whether by redirect) falls in the incident's window. */
export const inArrivalWindow = (arrival: { readonly at: number; readonly redirected: boolean }, window: ArrivalWindow): boolean =>
  arrival.at >= (arrival.redirected ? window.redirectsSince : window.since);

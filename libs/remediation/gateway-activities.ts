import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { type ArrivalWindow, type GatewayStateName, type VerificationFacts, acceptsSessions, judgeVerification } from '#core';
import { classifyAgentError } from './agent-reachability.js';
import { type FleetAccess, isUnreachable } from './fleet-access.js';
import { type Supervisor } from './supervisor.js';
import {
  type ClientsElsewhere,
  type GatewayActionInput,
  type QuarantineResult,
  type RemediationActivities,
  type VerifyResult,
} from './remediation-activities.js';

type GatewayActivities = Pick<
  RemediationActivities,
  | 'quarantineGateway'
  | 'degradeGateway'
  | 'drainGateway'
  | 'probationGateway'
  | 'returnToService'
  | 'verifyRemediation'
  | 'fenceGateway'
  | 'terminateGateway'
  | 'holdForHuman'
  | 'releaseHold'
>;

const falseWhenUnreachable = (error: unknown): false => {
  if (isUnreachable(error)) return false;
  throw error;
};

/** How often verification looks again while a gone gateway's clients come back elsewhere. */
const RECOUNT_MS = 250;
/** With no known count to reach, a count unchanged this long (beyond a client's longest reconnect back-off) is everyone who will come back. */
const STEADY_MS = 3_000;
/**
 * An emptied gateway whose agent has exited (a drained pod stops once its last session left):
 * its migrated clients were redirected before it exited, and the last of them are still
 * arriving elsewhere. Verification waits this long at most for the count (well inside the
 * activity's start-to-close timeout).
 */
const EXITED_SETTLE_MS = 10_000;

/** Actions on one gateway: its state in etcd first (the truth routing follows), then its agent. */
export const createGatewayActivities = (fleet: FleetAccess, supervisor: Supervisor): GatewayActivities => {
  /** Sets the state and stops new sessions; each half is a no-op when already done. */
  const takeOutOfRotation = async (state: GatewayStateName, { gatewayId, by, reason, controlUrl }: GatewayActionInput): Promise<QuarantineResult> => {
    const previous = await fleet.states.transition(gatewayId, state, by, Date.now(), reason, controlUrl ? { controlUrl } : {});
    const agent = await fleet.agentFor(gatewayId);
    const reachable = agent ? await agent.quarantine().then(() => true, falseWhenUnreachable) : false;
    return { previousState: previous?.state, reachable };
  };

  /** Every other registered gateway's count of sessions that came from `gatewayId`. */
  const countElsewhere = async (gatewayId: string, window: ArrivalWindow | undefined): Promise<ClientsElsewhere | undefined> => {
    const others = (await fleet.registry.list()).filter((g) => g.id !== gatewayId);
    // A generous timeout: the gateways counted are busy taking in the clients being counted.
    const answers = await Promise.all(others.map(async (g) => ({ id: g.id, arrivals: await fleet.agentAt(g, 5_000).arrivals(gatewayId, window).catch(() => undefined) })));
    const answered = answers.filter((a) => a.arrivals !== undefined);
    if (answered.length === 0) return undefined;
    const byGateway = Object.fromEntries(answered.filter((a) => (a.arrivals?.count ?? 0) > 0).map((a) => [a.id, a.arrivals?.count ?? 0]));
    const lasts = answered.flatMap((a) => (a.arrivals?.lastAt === undefined ? [] : [a.arrivals.lastAt]));
    return {
      count: answered.reduce((n, a) => n + (a.arrivals?.count ?? 0), 0),
      byGateway,
      ...(lasts.length > 0 ? { lastArrivalAt: Math.max(...lasts) } : {}),
      unanswered: answers.filter((a) => a.arrivals === undefined).map((a) => a.id),
    };
  };

  /**
   * Waits (heartbeating) while a gone gateway's clients reconnect elsewhere on their own: until
   * `expected` are seen, or, when how many it held is unknown, until the count has stopped
   * changing for a while; at most `waitMs`.
   */
  const clientsElsewhere = async (gatewayId: string, expected: number | undefined, waitMs: number, window: ArrivalWindow | undefined): Promise<ClientsElsewhere | undefined> => {
    const deadline = Date.now() + waitMs;
    let last = -1;
    let steadySince = Date.now();
    for (;;) {
      const seen = await countElsewhere(gatewayId, window);
      const count = seen?.count ?? -1;
      if (count !== last) [last, steadySince] = [count, Date.now()];
      const enough = expected !== undefined ? count >= expected : count >= 0 && Date.now() - steadySince >= STEADY_MS;
      if (enough || Date.now() >= deadline) return seen;
      Context.current().heartbeat({ seen: seen?.count });
      await sleep(RECOUNT_MS);
    }
  };

  const factsFor = async (gatewayId: string, promise: string, expectedClients: number | undefined, waitMs: number, arrivalWindow?: ArrivalWindow): Promise<VerificationFacts> => {
    const [record, registration, agent] = await Promise.all([fleet.states.get(gatewayId), fleet.registry.get(gatewayId), fleet.agentFor(gatewayId)]);
    const status = agent ? await agent.status().catch((error: unknown) => classifyAgentError(error)) : ('no-address' as const);
    const serving = await fleet.servingGateways(gatewayId);
    const answering = await Promise.all(serving.map(async (g) => ((await fleet.agentAt(g).status().catch(() => undefined)) ? [g.id] : [])));
    const gone = typeof status === 'string';
    const elsewhere = promise === 'gone' || gone ? await clientsElsewhere(gatewayId, expectedClients, promise === 'gone' ? waitMs : Math.max(waitMs, EXITED_SETTLE_MS), arrivalWindow) : undefined;
    return {
      gatewayId,
      inRotation: acceptsSessions(record),
      state: record?.state,
      // A leaving registration (clean shutdown: state deleted, lease about to be revoked) is no member.
      registered: registration !== undefined && registration.leaving !== true,
      agent: typeof status === 'string' ? { reachable: false, why: status } : { reachable: true, accepting: status.accepting, sessions: status.sessions },
      ...(elsewhere ? { clientsElsewhere: elsewhere } : {}),
      ...(expectedClients === undefined ? {} : { expectedClients }),
      servingAnswering: answering.flat(),
    };
  };

  return {
    quarantineGateway: (input) => takeOutOfRotation('quarantined', input),
    degradeGateway: (input) => takeOutOfRotation('degraded', input),
    drainGateway: (input) => takeOutOfRotation('draining', input),
    probationGateway: async (input) => {
      const current = await fleet.states.get(input.gatewayId);
      if (!acceptsSessions(current)) return takeOutOfRotation('probation', input);
      // Still taking sessions (held for a human in rotation, or serving): watched where it is.
      // Probation would take it out, and when every gateway is being restored at once (an
      // operator clearing a storm of holds) that is the whole fleet out at the same moment.
      const agent = await fleet.agentFor(input.gatewayId);
      const reachable = agent ? await agent.status().then(() => true, falseWhenUnreachable) : false;
      return { previousState: current?.state, reachable, keptInRotation: true };
    },
    fenceGateway: (input) => takeOutOfRotation('fenced', input),
    terminateGateway: ({ gatewayId, reason }) => supervisor.terminate(gatewayId, reason),
    returnToService: async ({ gatewayId, by, reason, onlyIfReachable = false }) => {
      const agent = await fleet.agentFor(gatewayId);
      const reachable = agent ? await agent.restore().then(() => true, falseWhenUnreachable) : false;
      if (!reachable && onlyIfReachable) return { reachable };
      await fleet.states.transition(gatewayId, 'serving', by, Date.now(), reason);
      await fleet.quarantine.release(gatewayId);
      return { reachable };
    },
    holdForHuman: async ({ gatewayId, by, reason, controlUrl }) => {
      const current = await fleet.states.get(gatewayId);
      // A retried hold finds its own record: keep what it said about rotation.
      const inRotation = current?.state === 'needs-human' ? current.inRotation === true : acceptsSessions(current);
      await fleet.states.transition(gatewayId, 'needs-human', by, Date.now(), reason, { inRotation, ...(controlUrl ? { controlUrl } : {}) });
      return { inRotation, previousState: current?.state };
    },
    releaseHold: async ({ gatewayId, by, reason }) => {
      const current = await fleet.states.get(gatewayId);
      if (current?.state !== 'needs-human') return { released: false };
      // Back to what routing did while it was held: serving if it stayed in rotation, else quarantined.
      await fleet.states.transition(gatewayId, current.inRotation ? 'serving' : 'quarantined', by, Date.now(), reason);
      return { released: true };
    },
    verifyRemediation: async ({ gatewayId, promise = 'emptied', expectedClients, waitMs = 0, sourceReportedEmpty, arrivalWindow }) => {
      const facts = { ...(await factsFor(gatewayId, promise, expectedClients, waitMs, arrivalWindow)), ...(sourceReportedEmpty ? { sourceReportedEmpty } : {}) };
      const verdict = judgeVerification(promise, facts);
      return {
        sourceSessions: facts.agent.reachable ? facts.agent.sessions : undefined,
        servingGateways: facts.servingAnswering,
        ok: verdict.ok,
        problems: verdict.problems,
        promise,
        checks: verdict.checks,
        ...(facts.clientsElsewhere ? { clientsElsewhere: facts.clientsElsewhere as ClientsElsewhere } : {}),
      } satisfies VerifyResult;
    },
  };
};

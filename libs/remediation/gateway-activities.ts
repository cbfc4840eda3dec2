import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { type GatewayStateName } from '#core';
import { type AgentControlClient, AgentUnreachableError } from './agent-control-client.js';
import { type FleetAccess } from './fleet-access.js';
import { type GatewayActionInput, type QuarantineResult, type RehomeResult, type RemediationActivities, type VerifyResult } from './remediation-activities.js';

type GatewayActivities = Pick<
  RemediationActivities,
  'quarantineGateway' | 'degradeGateway' | 'drainGateway' | 'restoreGateway' | 'rehomeSessions' | 'verifyRemediation'
>;

const falseWhenUnreachable = (error: unknown): false => {
  if (error instanceof AgentUnreachableError) return false;
  throw error;
};

/** Actions on one gateway: its state in etcd first (the truth routing follows), then its agent. */
export const createGatewayActivities = (fleet: FleetAccess, rehomeWaitMs: number): GatewayActivities => {
  /** Sets the state and stops new sessions; each half is a no-op when already done. */
  const takeOutOfRotation = async (state: GatewayStateName, { gatewayId, by, reason }: GatewayActionInput): Promise<QuarantineResult> => {
    const previous = await fleet.states.get(gatewayId);
    await fleet.states.transition(gatewayId, state, by, Date.now(), reason);
    const agent = await fleet.agentFor(gatewayId);
    const reachable = agent ? await agent.quarantine().then(() => true, falseWhenUnreachable) : false;
    return { previousState: previous?.state, reachable };
  };

  const rehomeSessions: GatewayActivities['rehomeSessions'] = async ({ gatewayId }) => {
    const targets = await fleet.servingTargets(gatewayId);
    const agent = await fleet.agentFor(gatewayId);
    const targetIds = targets.map((t) => t.gatewayId);
    // A crashed source has no sessions to hand over: its clients reconnect to serving gateways themselves.
    if (!agent) return { sourceReachable: false, targets: targetIds, redirected: 0, remaining: 0 } satisfies RehomeResult;
    if (targets.length === 0) throw new Error(`no serving gateway can take the sessions of ${gatewayId}`);
    const { redirected } = await agent.migrate({ targets });
    const remaining = await waitForSessionsToLeave(agent, rehomeWaitMs);
    return { sourceReachable: true, targets: targetIds, redirected, remaining } satisfies RehomeResult;
  };

  return {
    quarantineGateway: (input) => takeOutOfRotation('quarantined', input),
    degradeGateway: (input) => takeOutOfRotation('degraded', input),
    drainGateway: (input) => takeOutOfRotation('draining', input),
    restoreGateway: async ({ gatewayId, by, reason }) => {
      const agent = await fleet.agentFor(gatewayId);
      const reachable = agent ? await agent.restore().then(() => true, falseWhenUnreachable) : false;
      await fleet.states.transition(gatewayId, 'serving', by, Date.now(), reason);
      await fleet.quarantine.release(gatewayId);
      return { reachable };
    },
    rehomeSessions,
    verifyRemediation: async ({ gatewayId }) => {
      const agent = await fleet.agentFor(gatewayId);
      const sourceSessions = agent ? await agent.status().then((s) => s.sessions, () => undefined) : undefined;
      const serving = (await fleet.servingTargets(gatewayId)).map((t) => t.gatewayId);
      const problems = [
        ...(sourceSessions ? [`${sourceSessions} sessions still on ${gatewayId}`] : []),
        ...(serving.length === 0 ? ['no serving gateway left'] : []),
      ];
      return { sourceSessions, servingGateways: serving, ok: problems.length === 0, problems } satisfies VerifyResult;
    },
  };
};

const waitForSessionsToLeave = async (agent: AgentControlClient, waitMs: number): Promise<number> => {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { sessions } = await agent.status();
    Context.current().heartbeat({ sessions });
    if (sessions === 0 || Date.now() >= deadline) return sessions;
    await sleep(100);
  }
};

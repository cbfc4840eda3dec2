import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { type Etcd3 } from 'etcd3';
import { acceptsSessions } from '#core';
import { FleetRegistry, GatewayStateStore } from '#etcd';
import { AgentControlClient, AgentUnreachableError } from './agent-control-client.js';
import { type QuarantineResult, type RehomeResult, type RemediationActivities } from './remediation-activities.js';

export interface ActivityDependencies {
  readonly etcd: Etcd3;
  /** How long rehoming waits for the source's sessions to leave. */
  readonly rehomeWaitMs?: number;
}

/**
 * Activities are idempotent: Temporal retries them, so each one reads the state
 * it is about to change and does nothing when it is already there.
 */
export const createRemediationActivities = ({ etcd, rehomeWaitMs = 20_000 }: ActivityDependencies): RemediationActivities => {
  const registry = new FleetRegistry(etcd);
  const states = new GatewayStateStore(etcd);

  const agentFor = async (gatewayId: string): Promise<AgentControlClient | undefined> => {
    const registration = await registry.get(gatewayId);
    return registration ? new AgentControlClient(registration.controlUrl) : undefined;
  };

  /** Serving gateways other than `exceptId`, as redirect targets. */
  const servingTargets = async (exceptId: string): Promise<{ gatewayId: string; address: string }[]> => {
    const [gateways, stateMap] = await Promise.all([registry.list(), states.list()]);
    return gateways
      .filter((g) => g.id !== exceptId && !g.leaving && acceptsSessions(stateMap.get(g.id)?.state))
      .map((g) => ({ gatewayId: g.id, address: g.address }));
  };

  const quarantineGateway: RemediationActivities['quarantineGateway'] = async ({ gatewayId, by, reason }) => {
    const previous = await states.get(gatewayId);
    await states.transition(gatewayId, 'quarantined', by, Date.now(), reason);
    const agent = await agentFor(gatewayId);
    const reachable = agent ? await agent.quarantine().then(() => true, ignoreUnreachable) : false;
    return { previousState: previous?.state, reachable } satisfies QuarantineResult;
  };

  const rehomeSessions: RemediationActivities['rehomeSessions'] = async ({ gatewayId }) => {
    const targets = await servingTargets(gatewayId);
    const agent = await agentFor(gatewayId);
    const targetIds = targets.map((t) => t.gatewayId);
    // A crashed source has no sessions to hand over: its clients reconnect to serving gateways themselves.
    if (!agent) return { sourceReachable: false, targets: targetIds, redirected: 0, remaining: 0 } satisfies RehomeResult;
    if (targets.length === 0) throw new Error(`no serving gateway can take the sessions of ${gatewayId}`);
    const { redirected } = await agent.migrate({ targets });
    const remaining = await waitForSessionsToLeave(agent, rehomeWaitMs);
    return { sourceReachable: true, targets: targetIds, redirected, remaining } satisfies RehomeResult;
  };

  return { quarantineGateway, rehomeSessions };
};

const ignoreUnreachable = (error: unknown): false => {
  if (error instanceof AgentUnreachableError) return false;
  throw error;
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

import { type GatewayStateName } from '#core';
import { type FleetAccess, isUnreachable } from './fleet-access.js';
import { type GatewayActionInput, type QuarantineResult, type RemediationActivities, type VerifyResult } from './remediation-activities.js';

type GatewayActivities = Pick<
  RemediationActivities,
  'quarantineGateway' | 'degradeGateway' | 'drainGateway' | 'probationGateway' | 'returnToService' | 'verifyRemediation'
>;

const falseWhenUnreachable = (error: unknown): false => {
  if (isUnreachable(error)) return false;
  throw error;
};

/** Actions on one gateway: its state in etcd first (the truth routing follows), then its agent. */
export const createGatewayActivities = (fleet: FleetAccess): GatewayActivities => {
  /** Sets the state and stops new sessions; each half is a no-op when already done. */
  const takeOutOfRotation = async (state: GatewayStateName, { gatewayId, by, reason }: GatewayActionInput): Promise<QuarantineResult> => {
    const previous = await fleet.states.transition(gatewayId, state, by, Date.now(), reason);
    const agent = await fleet.agentFor(gatewayId);
    const reachable = agent ? await agent.quarantine().then(() => true, falseWhenUnreachable) : false;
    return { previousState: previous?.state, reachable };
  };

  return {
    quarantineGateway: (input) => takeOutOfRotation('quarantined', input),
    degradeGateway: (input) => takeOutOfRotation('degraded', input),
    drainGateway: (input) => takeOutOfRotation('draining', input),
    probationGateway: (input) => takeOutOfRotation('probation', input),
    returnToService: async ({ gatewayId, by, reason }) => {
      const agent = await fleet.agentFor(gatewayId);
      const reachable = agent ? await agent.restore().then(() => true, falseWhenUnreachable) : false;
      await fleet.states.transition(gatewayId, 'serving', by, Date.now(), reason);
      await fleet.quarantine.release(gatewayId);
      return { reachable };
    },
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

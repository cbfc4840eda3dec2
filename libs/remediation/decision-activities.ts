import { type EvidenceSample, GatewayVitalsSchema, type Policy } from '#core';
import { PolicyStore, parseRecord, vitalsKey } from '#etcd';
import { type FleetAccess } from './fleet-access.js';
import { sleepWithHeartbeat } from './heartbeat-sleep.js';
import { type RemediationActivities } from './remediation-activities.js';

type DecisionActivities = Pick<
  RemediationActivities,
  'loadPolicy' | 'gatherEvidence' | 'remediationHistory' | 'recordRemediation' | 'claimQuarantine' | 'releaseQuarantine'
>;

/** What the workflow decides on, and the guardrail state it checks; reads, plus two idempotent writes. */
export const createDecisionActivities = (fleet: FleetAccess): DecisionActivities => {
  const policies = new PolicyStore(fleet.etcd);

  const readVitals = async (gatewayId: string) => {
    const raw = await fleet.etcd.get(vitalsKey(gatewayId)).string();
    return raw === null ? undefined : parseRecord(GatewayVitalsSchema, vitalsKey(gatewayId), raw);
  };

  const lookAt = async (gatewayId: string): Promise<EvidenceSample> => {
    const [registration, state, vitals] = await Promise.all([fleet.registry.get(gatewayId), fleet.states.get(gatewayId), readVitals(gatewayId)]);
    const status = registration ? await fleet.agentAt(registration).status().catch(() => undefined) : undefined;
    return {
      at: Date.now(),
      registered: registration !== undefined,
      reachable: status !== undefined,
      ...(state ? { state: state.state } : {}),
      ...(status ? { sessions: status.sessions } : {}),
      ...(vitals ? { vitals } : {}),
    };
  };

  return {
    loadPolicy: async (): Promise<{ policy: Policy; source: 'stored' | 'default' }> => policies.current(),
    gatherEvidence: async ({ gatewayId, samples, intervalMs }) => {
      const taken: EvidenceSample[] = [];
      for (let i = 0; i < samples; i++) {
        if (i > 0) await sleepWithHeartbeat(intervalMs, { taken: i });
        taken.push(await lookAt(gatewayId));
      }
      return taken;
    },
    remediationHistory: () => fleet.history.all(),
    recordRemediation: (record) => fleet.history.record(record),
    claimQuarantine: async ({ gatewayId, owner, maxQuarantinedFraction }) => {
      const verdict = await fleet.quarantine.claim(gatewayId, owner, maxQuarantinedFraction, Date.now());
      return verdict.allowed ? { allowed: true } : { allowed: false, reason: verdict.reason };
    },
    releaseQuarantine: ({ gatewayId }) => fleet.quarantine.release(gatewayId),
  };
};

import { Context } from '@temporalio/activity';
import { AGENT_CALL_TIMEOUT_MS, type EvidenceSample, GatewayVitalsSchema, type Policy, type RemediationRecord, currentRttLevel, reserveSlot } from '#core';
import { PolicyStore, RttLevelStore, parseRecord, vitalsKey } from '#etcd';
import { runRequester } from '#temporal';
import { classifyAgentError } from './agent-reachability.js';
import { type FleetAccess } from './fleet-access.js';
import { sleepWithHeartbeat } from './heartbeat-sleep.js';
import { type RemediationActivities } from './remediation-activities.js';

type DecisionActivities = Pick<
  RemediationActivities,
  | 'loadPolicy'
  | 'gatherEvidence'
  | 'remediationHistory'
  | 'recordRemediation'
  | 'reserveRemediationSlot'
  | 'releaseRemediationSlot'
  | 'claimOperation'
  | 'releaseOperation'
  | 'claimQuarantine'
  | 'releaseQuarantine'
  | 'checkBlastRadius'
>;

/** What the workflow decides on, and the guardrail state it checks; reads, plus two idempotent writes. */
export const createDecisionActivities = (fleet: FleetAccess): DecisionActivities => {
  const policies = new PolicyStore(fleet.etcd);
  const rttLevels = new RttLevelStore(fleet.etcd);

  const readVitals = async (gatewayId: string) => {
    const raw = await fleet.etcd.get(vitalsKey(gatewayId)).string();
    return raw === null ? undefined : parseRecord(GatewayVitalsSchema, vitalsKey(gatewayId), raw);
  };

  /** The ledger names who asked for a run (its start request's requestedBy), not only which workflow it was. */
  const withRequester = async (record: RemediationRecord): Promise<RemediationRecord> => {
    const requestedBy = await runRequester(Context.current().client, record.workflowId, record.runId);
    return requestedBy ? { ...record, requestedBy } : record;
  };

  /** One look: etcd's records, and the agent itself, at its registered address or else its last known one. */
  const lookAt = async (gatewayId: string, cancel: AbortSignal): Promise<EvidenceSample> => {
    const [registration, state, vitals, level] = await Promise.all([
      fleet.registry.get(gatewayId),
      fleet.states.get(gatewayId),
      readVitals(gatewayId),
      rttLevels.get(gatewayId),
    ]);
    const controlUrl = registration?.controlUrl ?? state?.controlUrl;
    let agentError: EvidenceSample['agentError'] = controlUrl ? undefined : 'no-address';
    const status = controlUrl
      ? await fleet.agentAtUrl(controlUrl, AGENT_CALL_TIMEOUT_MS, cancel).status().catch((error: unknown) => void (agentError = classifyAgentError(error)))
      : undefined;
    const at = Date.now();
    const rttLevel = currentRttLevel(level, at);
    return {
      at,
      registered: registration !== undefined,
      reachable: status !== undefined,
      ...(status ? {} : { agentError }),
      ...(controlUrl ? { controlUrl } : {}),
      ...(state ? { state: state.state } : {}),
      ...(status ? { sessions: status.sessions } : {}),
      ...(vitals ? { vitals } : {}),
      ...(rttLevel !== undefined ? { rttLevel } : {}),
    };
  };

  return {
    loadPolicy: async (): Promise<{ policy: Policy; source: 'stored' | 'default' }> => policies.current(),
    gatherEvidence: async ({ gatewayId, samples, intervalMs }) => {
      const context = Context.current();
      const taken: EvidenceSample[] = [];
      for (let i = 0; i < samples; i++) {
        if (i > 0) await sleepWithHeartbeat(intervalMs, { taken: i });
        context.heartbeat({ taken: i });
        taken.push(await lookAt(gatewayId, context.cancellationSignal));
      }
      return taken;
    },
    remediationHistory: () => fleet.history.all(),
    recordRemediation: async (record) => fleet.history.record(await withRequester(record)),
    reserveRemediationSlot: async ({ gatewayId, workflowId, runId, guardrails, peek }) => {
      const candidate = { gatewayId, workflowId, runId, startedAt: Date.now() };
      const verdict = peek
        ? reserveSlot(await fleet.history.all(), candidate, Date.now(), guardrails)
        : await fleet.history.reserve(await withRequester(candidate), guardrails, Date.now());
      return verdict.kind === 'reserved' ? { kind: 'reserved', alreadyHeld: verdict.alreadyHeld } : verdict;
    },
    releaseRemediationSlot: ({ runId }) => fleet.history.release(runId),
    claimOperation: ({ gatewayId, workflowId, runId, operation }) => fleet.operations.claim(gatewayId, { workflowId, runId, operation, since: Date.now() }),
    releaseOperation: ({ gatewayId, runId }) => fleet.operations.release(gatewayId, runId),
    claimQuarantine: async ({ gatewayId, owner, maxQuarantinedFraction }) => {
      const verdict = await fleet.quarantine.claim(gatewayId, owner, maxQuarantinedFraction, Date.now());
      return verdict.allowed ? { allowed: true } : { allowed: false, reason: verdict.reason };
    },
    releaseQuarantine: ({ gatewayId }) => fleet.quarantine.release(gatewayId),
    checkBlastRadius: async ({ gatewayId, maxQuarantinedFraction }) => {
      const verdict = await fleet.quarantine.check(gatewayId, maxQuarantinedFraction);
      return verdict.allowed ? { allowed: true } : { allowed: false, reason: verdict.reason };
    },
  };
};

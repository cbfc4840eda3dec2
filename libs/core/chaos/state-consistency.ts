import { type GatewayStateRecord, isOutOfRotation } from '../fleet/gateway-state.js';
import { type RunRecord } from './run-record.js';

/** Outcomes after which the run's gateway is as it was before: it cannot be the reason one is out. */
const CHANGED_NOTHING = new Set(['compensated', 'rejected', 'no-action', 'dry-run', 'shadow', 'observed']);
/** Actions that leave a gateway out of rotation when the run heals. */
const TAKES_OUT = new Set(['quarantine', 'drain', 'degrade']);

const latest = (runs: readonly RunRecord[]): RunRecord | undefined => [...runs].sort((a, b) => b.startedAt - a.startedAt)[0];

/**
 * etcd's gateway states agree with what Temporal says the runs did: a gateway
 * out of rotation "by" a run is out because that run acted, and a run that healed
 * by taking its gateway out left a state at least as new as itself.
 */
export const stateInconsistencies = (states: ReadonlyMap<string, GatewayStateRecord>, runs: readonly RunRecord[]): string[] => {
  const problems: string[] = [];
  for (const [gatewayId, record] of states) {
    const owner = latest(runs.filter((r) => r.workflowId === record.by));
    if (owner && isOutOfRotation(record.state) && owner.status !== 'RUNNING' && owner.outcome && CHANGED_NOTHING.has(owner.outcome)) {
      problems.push(`${gatewayId} is ${record.state} by ${record.by}, whose run ended ${owner.outcome}`);
    }
    if (owner && record.state === 'needs-human' && owner.status !== 'RUNNING' && owner.outcome !== 'needs-human') {
      problems.push(`${gatewayId} is held for a human by ${record.by}, whose run ended ${owner.outcome ?? owner.status}`);
    }
  }
  const remediations = runs.filter((r) => r.type === 'remediateGateway' && r.status === 'COMPLETED' && r.gatewayId);
  const gateways = new Set(remediations.map((r) => r.gatewayId ?? ''));
  for (const gatewayId of gateways) {
    const last = latest(remediations.filter((r) => r.gatewayId === gatewayId));
    if (!last || last.outcome !== 'healed' || !(last.actions ?? []).some((a) => TAKES_OUT.has(a))) continue;
    const record = states.get(gatewayId);
    if (!record || record.since < last.startedAt) {
      problems.push(`${gatewayId}: ${last.workflowId} healed with ${last.actions?.join('+')} but etcd's state is ${record ? `${record.state} since before it` : 'missing'}`);
    }
  }
  return problems;
};

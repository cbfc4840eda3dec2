import { type GatewayStateRecord, isIsolated } from '../fleet/gateway-state.js';
import { type IncidentSettings } from '../policy/incident-policy.js';
import { type TriggerKind } from './remediation-report.js';

/**
 * What an automatic trigger may do about a gateway:
 * - `start`: start a run, or be delivered to the one open for it (signal-with-start);
 * - `absorb`: the incident is already handled (the gateway is out for good, or held for a human):
 *   deliver it to an open run if there is one, else record it; never start another run.
 */
export type TriggerAdmission = { readonly kind: 'start' } | { readonly kind: 'absorb'; readonly reason: string };

/**
 * An operator always gets a run (that is the human acting). Automatic triggers (detector, lease
 * expiry, sweep, Kubernetes) start nothing new for a gateway a run already took out for good, nor
 * for one held for a human until the policy's quiet period has passed since it was held.
 */
export const admitTrigger = (trigger: TriggerKind, state: GatewayStateRecord | undefined, now: number, settings: Pick<IncidentSettings, 'holdMs'>): TriggerAdmission => {
  if (trigger === 'api' || state === undefined) return { kind: 'start' };
  if (state.state === 'needs-human') {
    const heldFor = now - state.since;
    if (heldFor < settings.holdMs) {
      return { kind: 'absorb', reason: `held for a human by ${state.by} ${Math.round(heldFor / 1_000)} s ago (quiet period ${Math.round(settings.holdMs / 1_000)} s)${state.reason ? `: ${state.reason}` : ''}` };
    }
    return { kind: 'start' };
  }
  if (isIsolated(state.state)) return { kind: 'absorb', reason: `already ${state.state} by ${state.by}` };
  return { kind: 'start' };
};

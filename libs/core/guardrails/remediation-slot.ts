import { type Guardrails } from '../policy/index.js';
import { dampFlapping } from './flap-damping.js';
import { type RemediationRecord, checkRateLimit } from './rate-limit.js';

/**
 * What asking for a slot to act gives a run. The ledger is every run that reserved
 * a slot recently (the etcd history); a reservation is one compare-and-swap of it,
 * so two runs deciding at once cannot both take the last slot.
 */
export type SlotVerdict =
  /** The run is in the ledger now (or already was): it may act. */
  | { readonly kind: 'reserved'; readonly ledger: readonly RemediationRecord[]; readonly alreadyHeld: boolean }
  /** Not now: ask again at `untilMs` (the answer may differ by then). */
  | { readonly kind: 'wait'; readonly guardrail: 'flap-damping' | 'rate-limit'; readonly untilMs: number; readonly reason: string }
  /** The gateway keeps coming back: a human, not another healing. */
  | { readonly kind: 'escalate'; readonly reason: string };

/** How far back a record can still change a verdict; older ones are dropped from the ledger. */
export const ledgerHorizonMs = (guardrails: Guardrails): number =>
  Math.max(guardrails.rateLimit.windowMs, guardrails.rateLimit.perGatewayCooldownMs, guardrails.flapDamping.windowMs);

/** The ledger without records too old to matter to any guardrail. */
export const pruneLedger = (ledger: readonly RemediationRecord[], now: number, guardrails: Guardrails): RemediationRecord[] => {
  const horizon = now - ledgerHorizonMs(guardrails);
  return ledger.filter((r) => r.startedAt > horizon);
};

/**
 * Flap damping, then the fleet-wide rate limit, against the ledger as it is now;
 * when both allow, the run's record joins the ledger, stamped with `now`.
 * Idempotent: a run already in the ledger keeps its slot (activities are retried).
 */
export const reserveSlot = (ledger: readonly RemediationRecord[], candidate: RemediationRecord, now: number, guardrails: Guardrails): SlotVerdict => {
  if (ledger.some((r) => r.runId === candidate.runId)) return { kind: 'reserved', ledger, alreadyHeld: true };
  const flap = dampFlapping(ledger, candidate.gatewayId, candidate.runId, now, guardrails.flapDamping, guardrails.rateLimit.perGatewayCooldownMs);
  if (flap.kind === 'escalate') return { kind: 'escalate', reason: flap.reason };
  if (flap.kind === 'back-off') return { kind: 'wait', guardrail: 'flap-damping', untilMs: flap.untilMs, reason: flap.reason };
  const rate = checkRateLimit(ledger, candidate.runId, now, guardrails.rateLimit);
  if (!rate.allowed) return { kind: 'wait', guardrail: 'rate-limit', untilMs: rate.retryAtMs, reason: rate.reason };
  return { kind: 'reserved', ledger: [...pruneLedger(ledger, now, guardrails), { ...candidate, startedAt: now }], alreadyHeld: false };
};

/** Gives a run's slot back (it ended without acting); unchanged when it held none. */
export const releaseSlot = (ledger: readonly RemediationRecord[], runId: string): readonly RemediationRecord[] =>
  ledger.some((r) => r.runId === runId) ? ledger.filter((r) => r.runId !== runId) : ledger;

import { checkBlastRadius } from '../guardrails/blast-radius.js';
import type { RemediationRecord } from '../guardrails/rate-limit.js';
import { releaseSlot, reserveSlot } from '../guardrails/remediation-slot.js';
import type { Guardrails } from '../policy/guardrails-policy.js';
import type { GuardrailBlock } from './simulation-result.js';

export interface RemovalAttempt {
  readonly gatewayId: string;
  readonly atMs: number;
  /** When the gateway would be back in rotation: its incident's end (Infinity: not within the timeline). */
  readonly backAtMs: number;
  readonly guardrails: Guardrails;
}

/**
 * The workflows' guardrails over a sequence of removals, fleet-wide and in time order, with the
 * same pure code: a slot in a ledger (flap damping, rate limit) and then the blast radius over
 * the gateways out at that moment. A removal a guardrail would defer counts as blocked: the
 * lab judges the moment the detector acted, not the retry a run would make later.
 */
export const replayGuardrails = (attempts: readonly RemovalAttempt[], fleet: readonly string[]): (GuardrailBlock | null)[] => {
  let ledger: readonly RemediationRecord[] = [];
  const out = new Map<string, number>();
  const order = attempts.map((a, index) => ({ a, index })).sort((x, y) => x.a.atMs - y.a.atMs || x.index - y.index);
  const blocks: (GuardrailBlock | null)[] = attempts.map(() => null);
  for (const { a, index } of order) {
    for (const [id, backAt] of out) if (backAt <= a.atMs) out.delete(id);
    const runId = `lab:${a.gatewayId}:${a.atMs}:${index}`;
    const slot = reserveSlot(ledger, { gatewayId: a.gatewayId, workflowId: `remediate:${a.gatewayId}`, runId, startedAt: a.atMs }, a.atMs, a.guardrails);
    if (slot.kind !== 'reserved') {
      blocks[index] = { guardrail: slot.kind === 'escalate' ? 'flap-damping' : slot.guardrail, reason: slot.reason };
      continue;
    }
    const quarantined = [...out.keys()];
    const radius = checkBlastRadius({
      candidate: a.gatewayId,
      fleet,
      serving: fleet.filter((id) => !out.has(id)),
      quarantined,
      maxQuarantinedFraction: a.guardrails.maxQuarantinedFraction,
    });
    if (!radius.allowed) {
      blocks[index] = { guardrail: 'blast-radius', reason: radius.reason };
      ledger = releaseSlot(slot.ledger, runId);
      continue;
    }
    ledger = slot.ledger;
    out.set(a.gatewayId, a.backAtMs);
  }
  return blocks;
};

import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { type Guardrails, IDENTITY_NAME_PATTERN, type RemediationRecord, type SlotVerdict, releaseSlot, reserveSlot } from '#core';
import { changeByRevision } from './compare-and-swap.js';
import { parseRecord } from './json-value.js';
import { REMEDIATION_LEDGER_KEY } from './keys.js';

const LedgerSchema = z.array(
  z.object({ gatewayId: z.string(), workflowId: z.string(), runId: z.string(), startedAt: z.number(), requestedBy: z.string().regex(IDENTITY_NAME_PATTERN).optional() }),
);

/** A run recorded without the guardrails' say (the v1 workflows' `recordRemediation`): keep this many per gateway. */
const KEEP_PER_GATEWAY = 20;

/**
 * Remediations that acted (or hold a slot to act), fleet-wide in one etcd key:
 * a slot is reserved by one compare-and-swap of that key, so the rate limit and
 * flap damping hold across concurrent runs — two runs can never both take the
 * last slot, which checking and recording in two steps allowed.
 */
export class RemediationHistory {
  constructor(private readonly etcd: Etcd3) {}

  async all(): Promise<RemediationRecord[]> {
    const raw = await this.etcd.get(REMEDIATION_LEDGER_KEY).string();
    return raw === null ? [] : parseRecord(LedgerSchema, REMEDIATION_LEDGER_KEY, raw);
  }

  /** Takes a slot for `candidate` if the guardrails allow it now; idempotent per run. */
  reserve(candidate: RemediationRecord, guardrails: Guardrails, now: number): Promise<SlotVerdict> {
    return changeByRevision(this.etcd, REMEDIATION_LEDGER_KEY, LedgerSchema, (current = []) => {
      const verdict = reserveSlot(current, candidate, now, guardrails);
      return { write: verdict.kind === 'reserved' && !verdict.alreadyHeld ? [...verdict.ledger] : undefined, result: verdict };
    });
  }

  /** Gives a run's slot back (it ended without acting); idempotent. */
  release(runId: string): Promise<void> {
    return changeByRevision(this.etcd, REMEDIATION_LEDGER_KEY, LedgerSchema, (current = []) => {
      const after = releaseSlot(current, runId);
      return { write: after === current ? undefined : [...after], result: undefined };
    });
  }

  /** Records a run that acted, unconditionally (runs of the v1 workflows); idempotent per run. */
  record(entry: RemediationRecord): Promise<void> {
    return changeByRevision(this.etcd, REMEDIATION_LEDGER_KEY, LedgerSchema, (current = []) => {
      if (current.some((r) => r.runId === entry.runId)) return { result: undefined };
      const sameGateway = current.filter((r) => r.gatewayId === entry.gatewayId);
      const dropped = new Set(sameGateway.slice(0, Math.max(0, sameGateway.length + 1 - KEEP_PER_GATEWAY)));
      return { write: [...current.filter((r) => !dropped.has(r)), entry], result: undefined };
    });
  }
}

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY, type Guardrails } from '../policy/index.js';
import { type RemediationRecord } from './rate-limit.js';
import { ledgerHorizonMs, releaseSlot, reserveSlot } from './remediation-slot.js';

const guardrails = (rateLimit: Guardrails['rateLimit'], flapDamping: Guardrails['flapDamping'] = { windowMs: 600_000, escalateAfter: 3 }): Guardrails => ({
  ...DEFAULT_POLICY.guardrails,
  rateLimit,
  flapDamping,
});

const candidate = (gatewayId: string, runId: string): RemediationRecord => ({ gatewayId, workflowId: `remediate:${gatewayId}`, runId, startedAt: 0 });

/** Applies attempts one after another, as compare-and-swap on one key orders concurrent ones. */
const applyAll = (attempts: readonly { gatewayId: string; at: number }[], settings: Guardrails) => {
  let ledger: readonly RemediationRecord[] = [];
  const reserved: RemediationRecord[] = [];
  for (const [i, { gatewayId, at }] of attempts.entries()) {
    const verdict = reserveSlot(ledger, candidate(gatewayId, `run-${i}`), at, settings);
    if (verdict.kind === 'reserved') {
      ledger = verdict.ledger;
      reserved.push(verdict.ledger.at(-1) as RemediationRecord);
    }
  }
  return { ledger, reserved };
};

describe(reserveSlot.name, () => {
  const limit = { maxRemediations: 3, windowMs: 10_000, perGatewayCooldownMs: 0 };

  it('should let exactly the allowed number of simultaneous runs win, and tell the others when to ask again', () => {
    const { reserved, ledger } = applyAll(Array.from({ length: 8 }, (_, i) => ({ gatewayId: `gw-${i}`, at: 1_000 })), guardrails(limit));
    expect(reserved).toHaveLength(3);
    expect(reserveSlot(ledger, candidate('gw-9', 'late'), 1_000, guardrails(limit))).toMatchObject({ kind: 'wait', guardrail: 'rate-limit', untilMs: 11_000 });
  });

  it('should stamp the record with the time of the reservation', () => {
    const verdict = reserveSlot([], candidate('gw-1', 'r'), 4_200, guardrails(limit));
    expect(verdict).toMatchObject({ kind: 'reserved', alreadyHeld: false, ledger: [{ gatewayId: 'gw-1', runId: 'r', startedAt: 4_200 }] });
  });

  it('should keep the slot of a run that asks again (a retried activity), even over the limit', () => {
    const { ledger } = applyAll([0, 1, 2].map((i) => ({ gatewayId: `gw-${i}`, at: 500 })), guardrails(limit));
    expect(reserveSlot(ledger, candidate('gw-0', 'run-0'), 600, guardrails(limit))).toEqual({ kind: 'reserved', ledger, alreadyHeld: true });
  });

  it('should back off a gateway inside its cool-down and escalate one that keeps coming back', () => {
    const settings = guardrails({ maxRemediations: 100, windowMs: 1_000, perGatewayCooldownMs: 5_000 }, { windowMs: 60_000, escalateAfter: 3 });
    const first = reserveSlot([], candidate('gw', 'a'), 1_000, settings);
    if (first.kind !== 'reserved') throw new Error('expected a slot');
    expect(reserveSlot(first.ledger, candidate('gw', 'b'), 2_000, settings)).toMatchObject({ kind: 'wait', guardrail: 'flap-damping', untilMs: 6_000 });
    const second = reserveSlot(first.ledger, candidate('gw', 'b'), 6_000, settings);
    if (second.kind !== 'reserved') throw new Error('expected a slot');
    expect(reserveSlot(second.ledger, candidate('gw', 'c'), 20_000, settings)).toMatchObject({ kind: 'escalate' });
  });

  it('should free the slot when the run gives it back', () => {
    const { ledger } = applyAll([0, 1, 2].map((i) => ({ gatewayId: `gw-${i}`, at: 500 })), guardrails(limit));
    expect(reserveSlot(ledger, candidate('gw-9', 'late'), 600, guardrails(limit)).kind).toBe('wait');
    expect(reserveSlot(releaseSlot(ledger, 'run-1'), candidate('gw-9', 'late'), 600, guardrails(limit)).kind).toBe('reserved');
    expect(releaseSlot(ledger, 'not-there')).toBe(ledger);
  });

  it('should never admit more than the limit in any window, nor a gateway inside its cool-down or beyond its flap limit, and keep the ledger bounded', () => {
    const settingsArb = fc.record({
      maxRemediations: fc.integer({ min: 1, max: 5 }),
      windowMs: fc.integer({ min: 100, max: 5_000 }),
      perGatewayCooldownMs: fc.integer({ min: 0, max: 3_000 }),
      flapWindowMs: fc.integer({ min: 100, max: 10_000 }),
      escalateAfter: fc.integer({ min: 1, max: 5 }),
    });
    const attemptsArb = fc
      .array(fc.record({ gatewayId: fc.constantFrom('a', 'b', 'c', 'd'), gap: fc.integer({ min: 0, max: 800 }) }), { maxLength: 80 })
      .map((steps) => {
        let at = 1_000;
        return steps.map(({ gatewayId, gap }) => ({ gatewayId, at: (at += gap) }));
      });
    fc.assert(
      fc.property(settingsArb, attemptsArb, (s, attempts) => {
        const settings = guardrails({ maxRemediations: s.maxRemediations, windowMs: s.windowMs, perGatewayCooldownMs: s.perGatewayCooldownMs }, { windowMs: s.flapWindowMs, escalateAfter: s.escalateAfter });
        const { reserved, ledger } = applyAll(attempts, settings);
        for (const r of reserved) {
          const inWindow = reserved.filter((o) => o.startedAt > r.startedAt - s.windowMs && o.startedAt <= r.startedAt);
          expect(inWindow.length).toBeLessThanOrEqual(s.maxRemediations);
          const sameGateway = reserved.filter((o) => o.gatewayId === r.gatewayId && o.startedAt < r.startedAt);
          const last = sameGateway.at(-1);
          if (last) expect(r.startedAt - last.startedAt).toBeGreaterThanOrEqual(s.perGatewayCooldownMs);
          expect(sameGateway.filter((o) => o.startedAt > r.startedAt - s.flapWindowMs).length + 1).toBeLessThan(s.escalateAfter);
        }
        // Pruned at every reservation: nothing older than the horizon before the last one.
        const lastReserved = reserved.at(-1)?.startedAt ?? 0;
        expect(ledger.every((r) => r.startedAt > lastReserved - ledgerHorizonMs(settings))).toBe(true);
      }),
    );
  });
});

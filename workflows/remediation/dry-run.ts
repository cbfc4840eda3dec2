import { type Policy, type RemediationReport, type RemediationRequest, requiresApproval } from '#core';
import { act } from './activities.js';
import { reserveSlot } from './guardrails.js';
import { RunEnded, step } from './run-report.js';

const REMOVING = new Set(['quarantine', 'degrade', 'drain', 'migrate']);

/**
 * A dry run checks every guardrail the real run would — the rate-limit/flap slot only looked
 * at, the blast radius checked without claiming — records each, and ends saying what the real
 * run would do, or what would refuse or hold it.
 */
export const dryRunVerdict = async (report: RemediationReport, policy: Policy, request: RemediationRequest): Promise<never> => {
  const { guardrails } = policy;
  const actions = report.decision?.actions ?? [];
  const refusals: string[] = [];
  const holds: string[] = [];

  const before = report.guardrails.length;
  await reserveSlot(report, policy, request).catch((error: unknown) => {
    // A flapping gateway: the real run would stop here and hand over to a human.
    if (error instanceof RunEnded) refusals.push(`flap damping (${error.why})`);
    else throw error;
  });
  for (const check of report.guardrails.slice(before)) {
    if (!check.allowed && check.name === 'rate-limit') holds.push(`the rate limit (${check.detail})`);
    if (!check.allowed && check.name === 'flap-damping' && refusals.length === 0) holds.push(`the cool-down (${check.detail})`);
  }

  if (actions.some((a) => REMOVING.has(a))) {
    const radius = await step(report, 'check-blast-radius', () => act.checkBlastRadius({ gatewayId: report.gatewayId, maxQuarantinedFraction: guardrails.maxQuarantinedFraction }));
    report.guardrails.push({ name: 'blast-radius', at: Date.now(), allowed: radius.allowed, detail: `${radius.reason ?? 'within the blast radius'} (checked, not claimed: dry run)` });
    if (!radius.allowed) refusals.push(`the blast radius (${radius.reason ?? 'refused'})`);
  }
  if (requiresApproval(actions, guardrails.approval)) holds.push(`a human's approval (${actions.join('+')} needs it from ${guardrails.approval.requiredFrom})`);

  const plan = `would do ${actions.join('+')}`;
  const verdict =
    refusals.length > 0
      ? `${plan}, but would be refused by ${refusals.join(' and ')}`
      : `${plan}${holds.length > 0 ? ` after waiting for ${holds.join(', then ')}` : ''}; every guardrail would allow it`;
  throw new RunEnded('dry-run', `${verdict}; nothing was changed`);
};

import { type GuardrailCheck, type RemediationReport, type RemediationOutcome, type TriggerKind } from './remediation-report.js';

/** The steps that take a gateway out of rotation; the first one done marks the moment it left. */
const OUT_OF_ROTATION_STEPS: readonly string[] = ['quarantine', 'degrade', 'drain'];

/** What a finished run contributes to the metrics, read from its own report. */
export interface RemediationRunFacts {
  readonly outcome: RemediationOutcome;
  /** The actions taken, joined with `+` (`quarantine+migrate`), or `none`. */
  readonly action: string;
  readonly trigger: TriggerKind;
  /** Guardrails that refused, in the order they were checked. */
  readonly refusals: readonly GuardrailCheck['name'][];
  /** Trigger fired → gateway out of rotation, when the run took it out. */
  readonly outOfRotationMs?: number;
}

export const remediationRunFacts = (report: RemediationReport): RemediationRunFacts => {
  const actions = report.decision?.actions ?? [];
  const out = report.steps.find((s) => OUT_OF_ROTATION_STEPS.includes(s.name) && s.status === 'done' && s.finishedAt !== undefined);
  return {
    outcome: report.outcome,
    action: actions.length > 0 ? actions.join('+') : 'none',
    trigger: report.trigger,
    refusals: report.guardrails.filter((g) => !g.allowed).map((g) => g.name),
    ...(out?.finishedAt !== undefined && !report.dryRun ? { outOfRotationMs: Math.max(0, out.finishedAt - report.requestedAt) } : {}),
  };
};

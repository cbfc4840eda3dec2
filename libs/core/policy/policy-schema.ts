import { z } from 'zod';
import { DecisionTreeSchema } from './decision-tree-schema.js';
import { DetectorSchema } from './detector-policy.js';
import { GuardrailsSchema } from './guardrails-policy.js';
import { HealthPolicySchema } from './health-policy.js';
import { HysteresisSchema } from './hysteresis-policy.js';
import { KubernetesPolicySchema } from './kubernetes-policy.js';
import { IncidentSchema } from './incident-policy.js';
import { LabPolicySchema } from './lab-policy.js';
import { MigrationSchema } from './migration-policy.js';

/** `shadow` records what the policy would have done without acting, to try a policy safely. */
export const POLICY_MODES = ['enforce', 'shadow'] as const;

export type PolicyMode = (typeof POLICY_MODES)[number];

export const ProbationSchema = z.strictObject({
  /** How long a restored gateway must stay healthy before it counts as serving again. */
  durationMs: z.int().positive(),
});

export const PolicySchema = z.strictObject({
  version: z.int().positive(),
  name: z.string().min(1).max(128),
  mode: z.enum(POLICY_MODES),
  health: HealthPolicySchema,
  hysteresis: HysteresisSchema,
  decisionTree: DecisionTreeSchema,
  detector: DetectorSchema.prefault({}),
  guardrails: GuardrailsSchema,
  probation: ProbationSchema,
  migration: MigrationSchema.prefault({}),
  kubernetes: KubernetesPolicySchema.prefault({}),
  incident: IncidentSchema.prefault({}),
  lab: LabPolicySchema.prefault({}),
});

export type Policy = z.output<typeof PolicySchema>;
/** What an author may write: sections with defaults may be left out. */
export type PolicyInput = z.input<typeof PolicySchema>;
export type ProbationSettings = z.output<typeof ProbationSchema>;

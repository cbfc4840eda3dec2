import type { Action } from './actions.js';
import type { BooleanPredicate, ScorePredicate } from './predicates.js';

export interface BooleanPredicateNode {
  readonly pred: BooleanPredicate;
}

/** `{ "pred": "scoreBelow", "value": 40 }` means `score < 40`. */
export interface ScorePredicateNode {
  readonly pred: ScorePredicate;
  readonly value: number;
}

export interface AndNode {
  readonly and: readonly ConditionNode[];
}

export interface OrNode {
  readonly or: readonly ConditionNode[];
}

export interface NotNode {
  readonly not: ConditionNode;
}

/** Points at an entry of `conditions`, so a sub-condition is written once. */
export interface RefNode {
  readonly ref: string;
}

export interface ConstNode {
  readonly const: boolean;
}

export type ConditionNode = BooleanPredicateNode | ScorePredicateNode | AndNode | OrNode | NotNode | RefNode | ConstNode;

export interface BackoffParams {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
}

export interface ActionParams {
  /** How long to wait before looking again, growing while the condition persists. */
  readonly backoff?: BackoffParams;
  /** Share of the gateway's sessions to migrate, in (0, 1]; 1 means all. */
  readonly migrateFraction?: number;
}

/** A leaf: what to do. Several actions run together, e.g. quarantine then migrate. */
export interface Outcome {
  readonly actions: readonly Action[];
  readonly params?: ActionParams;
}

export interface Rule {
  readonly name: string;
  readonly when: ConditionNode;
  readonly then: Outcome;
}

/** Rules are tried in order and the first match wins; `otherwise` applies when none does. */
export interface DecisionTree {
  readonly conditions?: Readonly<Record<string, ConditionNode>>;
  readonly rules: readonly Rule[];
  readonly otherwise: Outcome;
}

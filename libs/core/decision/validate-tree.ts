import { findRefCycles } from './ref-cycles.js';
import type { DecisionTree } from './tree.js';
import { describeTreeIssue, describeValue, isPlainObject, unexpectedKeyIssues, type TreeIssue } from './tree-issue.js';
import { checkCondition, type RefUse } from './validate-condition.js';
import { checkOutcome } from './validate-outcome.js';

export type TreeValidation =
  | { readonly ok: true; readonly tree: DecisionTree }
  | { readonly ok: false; readonly issues: readonly TreeIssue[] };

/** Condition names become parts of explanations; keep them identifier-like. */
const CONDITION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks an untrusted tree (e.g. a policy being written) and reports every problem,
 * each naming the offending node by path, so a bad policy is rejected before any
 * workflow can evaluate it.
 */
export const validateTree = (input: unknown): TreeValidation => {
  if (!isPlainObject(input)) {
    return { ok: false, issues: [{ path: [], reason: `expected a decision tree object, got ${describeValue(input)}` }] };
  }
  const issues: TreeIssue[] = [...unexpectedKeyIssues(input, ['conditions', 'rules', 'otherwise'], [])];
  const refsByCondition = checkNamedConditions(input.conditions, issues);
  const ruleRefs = checkRules(input.rules, issues);
  if (input.otherwise === undefined) {
    issues.push({ path: ['otherwise'], reason: 'missing the default outcome, e.g. {"actions": ["none"]}' });
  } else {
    issues.push(...checkOutcome(input.otherwise, ['otherwise']));
  }
  issues.push(...danglingRefs([...refsByCondition.values()].flat().concat(ruleRefs), refsByCondition));
  issues.push(...findRefCycles(refsByCondition));
  return issues.length === 0 ? { ok: true, tree: input as unknown as DecisionTree } : { ok: false, issues };
};

export class DecisionTreeValidationError extends Error {
  override readonly name = 'DecisionTreeValidationError';

  constructor(readonly issues: readonly TreeIssue[]) {
    super(`invalid decision tree: ${issues.map(describeTreeIssue).join('; ')}`);
  }
}

/** Like {@link validateTree}, for callers that want the typed tree or an exception. */
export const parseDecisionTree = (input: unknown): DecisionTree => {
  const validation = validateTree(input);
  if (!validation.ok) throw new DecisionTreeValidationError(validation.issues);
  return validation.tree;
};

const checkNamedConditions = (conditions: unknown, issues: TreeIssue[]): Map<string, readonly RefUse[]> => {
  const refsByCondition = new Map<string, readonly RefUse[]>();
  if (conditions === undefined) return refsByCondition;
  if (!isPlainObject(conditions)) {
    issues.push({ path: ['conditions'], reason: `"conditions" must map names to conditions, got ${describeValue(conditions)}` });
    return refsByCondition;
  }
  for (const [name, condition] of Object.entries(conditions)) {
    if (!CONDITION_NAME.test(name)) {
      issues.push({ path: ['conditions', name], reason: `condition name "${name}" must match ${CONDITION_NAME.source}` });
    }
    const check = checkCondition(condition, ['conditions', name]);
    issues.push(...check.issues);
    refsByCondition.set(name, check.refs);
  }
  return refsByCondition;
};

const checkRules = (rules: unknown, issues: TreeIssue[]): RefUse[] => {
  if (!Array.isArray(rules)) {
    issues.push({ path: ['rules'], reason: `"rules" must be a list of {"name", "when", "then"}, got ${describeValue(rules)}` });
    return [];
  }
  const refs: RefUse[] = [];
  const firstIndexByName = new Map<string, number>();
  rules.forEach((rule: unknown, index) => {
    const path = ['rules', index];
    if (!isPlainObject(rule)) {
      issues.push({ path, reason: `expected a rule {"name", "when", "then"}, got ${describeValue(rule)}` });
      return;
    }
    issues.push(...unexpectedKeyIssues(rule, ['name', 'when', 'then'], path));
    if (typeof rule.name !== 'string' || rule.name === '') {
      issues.push({ path: [...path, 'name'], reason: `a rule needs a non-empty "name", got ${describeValue(rule.name)}` });
    } else if (firstIndexByName.has(rule.name)) {
      issues.push({ path: [...path, 'name'], reason: `duplicate rule name "${rule.name}" (first used by rules[${firstIndexByName.get(rule.name)}])` });
    } else {
      firstIndexByName.set(rule.name, index);
    }
    const check = checkCondition(rule.when, [...path, 'when']);
    issues.push(...check.issues);
    refs.push(...check.refs);
    issues.push(...checkOutcome(rule.then, [...path, 'then']));
  });
  return refs;
};

const danglingRefs = (refs: readonly RefUse[], defined: ReadonlyMap<string, unknown>): TreeIssue[] =>
  refs
    .filter((ref) => !defined.has(ref.name))
    .map((ref) => ({ path: ref.path, reason: `dangling ref "${ref.name}": no such entry in "conditions"` }));

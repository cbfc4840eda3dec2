import type { Action } from './actions.js';
import type { DecisionFacts } from './predicates.js';
import type { ActionParams, ConditionNode, DecisionTree } from './tree.js';
import { formatTreePath, type TreePath } from './tree-path.js';

export type ConditionKind = 'pred' | 'and' | 'or' | 'not' | 'ref' | 'const';

/** One evaluated node with the value it produced and the facts it looked at. */
export interface ConditionTrace {
  /** Where the node sits, e.g. `rules[1].when.and[0]` or `conditions.stalled.not`. */
  readonly at: string;
  readonly kind: ConditionKind;
  readonly value: boolean;
  /** Human-readable reason, e.g. `score=37 < 40 → true`. */
  readonly detail: string;
  /** Operands in evaluation order; AND/OR stop at the first operand that settles them. */
  readonly children?: readonly ConditionTrace[];
}

export interface RuleTrace {
  readonly index: number;
  readonly name: string;
  readonly matched: boolean;
  readonly condition: ConditionTrace;
}

export interface Verdict {
  readonly actions: readonly Action[];
  readonly params?: ActionParams;
  /** The rule that fired, or null when the tree's `otherwise` applied. */
  readonly matchedRule: { readonly index: number; readonly name: string } | null;
}

export interface DecisionEvaluation {
  readonly verdict: Verdict;
  /** Every rule tried, in order, up to and including the one that matched. */
  readonly path: readonly RuleTrace[];
}

type NamedConditions = Readonly<Record<string, ConditionNode>>;

/**
 * Decides what to do about a gateway. Pure, so it runs inside workflow code, and it
 * returns the path taken with the values seen, so every run can explain its decision.
 * Expects a tree that passed {@link validateTree}.
 */
export const evaluateTree = (tree: DecisionTree, facts: DecisionFacts): DecisionEvaluation => {
  const conditions = tree.conditions ?? {};
  const path: RuleTrace[] = [];
  for (const [index, rule] of tree.rules.entries()) {
    const condition = evaluateCondition(rule.when, facts, conditions, ['rules', index, 'when']);
    path.push({ index, name: rule.name, matched: condition.value, condition });
    if (condition.value) {
      return { verdict: verdictOf(rule.then.actions, rule.then.params, { index, name: rule.name }), path };
    }
  }
  return { verdict: verdictOf(tree.otherwise.actions, tree.otherwise.params, null), path };
};

const verdictOf = (
  actions: readonly Action[],
  params: ActionParams | undefined,
  matchedRule: Verdict['matchedRule'],
): Verdict => (params === undefined ? { actions, matchedRule } : { actions, params, matchedRule });

/** Evaluates one condition subtree; exported for callers that test a single condition. */
export const evaluateCondition = (
  node: ConditionNode,
  facts: DecisionFacts,
  conditions: NamedConditions = {},
  at: TreePath = [],
  resolving: readonly string[] = [],
): ConditionTrace => {
  const where = formatTreePath(at);
  if ('pred' in node) {
    if (node.pred === 'scoreBelow' || node.pred === 'scoreAbove') {
      const value = node.pred === 'scoreBelow' ? facts.score < node.value : facts.score > node.value;
      const op = node.pred === 'scoreBelow' ? '<' : '>';
      return { at: where, kind: 'pred', value, detail: `score=${formatNumber(facts.score)} ${op} ${formatNumber(node.value)} → ${value}` };
    }
    const value = facts[node.pred];
    return { at: where, kind: 'pred', value, detail: `${node.pred}=${value}` };
  }
  if ('and' in node || 'or' in node) {
    const isAnd = 'and' in node;
    const operands = isAnd ? node.and : node.or;
    const key = isAnd ? 'and' : 'or';
    const children: ConditionTrace[] = [];
    for (const [index, operand] of operands.entries()) {
      const child = evaluateCondition(operand, facts, conditions, [...at, key, index], resolving);
      children.push(child);
      // Short-circuit: the first operand that settles the result is the explanation.
      if (child.value !== isAnd) break;
    }
    const value = isAnd ? children.every((c) => c.value) : children.some((c) => c.value);
    return { at: where, kind: key, value, detail: `${key.toUpperCase()} → ${value}`, children };
  }
  if ('not' in node) {
    const child = evaluateCondition(node.not, facts, conditions, [...at, 'not'], resolving);
    return { at: where, kind: 'not', value: !child.value, detail: `NOT → ${!child.value}`, children: [child] };
  }
  if ('ref' in node) {
    return evaluateRef(node.ref, facts, conditions, where, resolving);
  }
  return { at: where, kind: 'const', value: node.const, detail: `const ${node.const}` };
};

const evaluateRef = (
  name: string,
  facts: DecisionFacts,
  conditions: NamedConditions,
  where: string,
  resolving: readonly string[],
): ConditionTrace => {
  const target = Object.hasOwn(conditions, name) ? conditions[name] : undefined;
  // validateTree rules these out; failing loudly beats recursing forever on an unchecked tree.
  if (target === undefined) throw new Error(`${where}: dangling ref "${name}"`);
  if (resolving.includes(name)) throw new Error(`${where}: cycle in named conditions: ${[...resolving, name].join(' → ')}`);
  const child = evaluateCondition(target, facts, conditions, ['conditions', name], [...resolving, name]);
  return { at: where, kind: 'ref', value: child.value, detail: `ref "${name}" → ${child.value}`, children: [child] };
};

const formatNumber = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100));

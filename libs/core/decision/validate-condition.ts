import { BOOLEAN_PREDICATES, SCORE_PREDICATES, isBooleanPredicate, isScorePredicate } from './predicates.js';
import { describeValue, isPlainObject, unexpectedKeyIssues, type TreeIssue } from './tree-issue.js';
import type { TreePath } from './tree-path.js';

const NODE_KINDS = ['pred', 'and', 'or', 'not', 'ref', 'const'] as const;

/** Trees come from API requests too; a bound keeps a hostile one from exhausting the stack. */
export const MAX_CONDITION_DEPTH = 32;

/** A `{ "ref": … }` found while checking, so cycles and dangling names can be judged afterwards. */
export interface RefUse {
  readonly name: string;
  readonly path: TreePath;
}

export interface ConditionCheck {
  readonly issues: TreeIssue[];
  readonly refs: RefUse[];
}

const malformed = (node: unknown, path: TreePath): TreeIssue => ({
  path,
  reason:
    'malformed node: expected exactly one of {"pred": …}, {"and": […]}, {"or": […]}, {"not": …}, ' +
    `{"ref": "…"}, {"const": true|false}; got ${describeValue(node)}`,
});

/** Checks the shape of one condition subtree; refs are collected, not resolved. */
export const checkCondition = (node: unknown, path: TreePath): ConditionCheck => {
  const check: ConditionCheck = { issues: [], refs: [] };
  visit(node, path, 0, check);
  return check;
};

const visit = (node: unknown, path: TreePath, depth: number, check: ConditionCheck): void => {
  if (depth > MAX_CONDITION_DEPTH) {
    check.issues.push({ path, reason: `conditions nested deeper than ${MAX_CONDITION_DEPTH} levels` });
    return;
  }
  if (!isPlainObject(node)) {
    check.issues.push(malformed(node, path));
    return;
  }
  const kinds = NODE_KINDS.filter((kind) => kind in node);
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    check.issues.push(malformed(node, path));
    return;
  }
  switch (kind) {
    case 'pred':
      return visitPredicate(node, path, check);
    case 'and':
    case 'or':
      return visitJunction(kind, node, path, depth, check);
    case 'not':
      check.issues.push(...unexpectedKeyIssues(node, ['not'], path));
      return visit(node.not, [...path, 'not'], depth + 1, check);
    case 'ref':
      return visitRef(node, path, check);
    case 'const':
      check.issues.push(...unexpectedKeyIssues(node, ['const'], path));
      if (typeof node.const !== 'boolean') {
        check.issues.push({ path: [...path, 'const'], reason: `"const" must be true or false, got ${describeValue(node.const)}` });
      }
      return;
  }
};

const visitPredicate = (node: Record<string, unknown>, path: TreePath, check: ConditionCheck): void => {
  const { pred } = node;
  if (isBooleanPredicate(pred)) {
    check.issues.push(...unexpectedKeyIssues(node, ['pred'], path));
    return;
  }
  if (isScorePredicate(pred)) {
    check.issues.push(...unexpectedKeyIssues(node, ['pred', 'value'], path));
    if (typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      check.issues.push({ path: [...path, 'value'], reason: `"${pred}" needs a finite number "value", got ${describeValue(node.value)}` });
    }
    return;
  }
  const known = [...BOOLEAN_PREDICATES, ...SCORE_PREDICATES].join(', ');
  check.issues.push({ path: [...path, 'pred'], reason: `unknown predicate ${describeValue(pred)} (known: ${known})` });
};

const visitJunction = (
  kind: 'and' | 'or',
  node: Record<string, unknown>,
  path: TreePath,
  depth: number,
  check: ConditionCheck,
): void => {
  check.issues.push(...unexpectedKeyIssues(node, [kind], path));
  const operands = node[kind];
  // An empty list is almost always an authoring slip, and its meaning (true/false) surprises readers.
  if (!Array.isArray(operands) || operands.length === 0) {
    check.issues.push({ path: [...path, kind], reason: `"${kind}" needs a non-empty list of conditions, got ${describeValue(operands)}` });
    return;
  }
  operands.forEach((operand, index) => visit(operand, [...path, kind, index], depth + 1, check));
};

const visitRef = (node: Record<string, unknown>, path: TreePath, check: ConditionCheck): void => {
  check.issues.push(...unexpectedKeyIssues(node, ['ref'], path));
  if (typeof node.ref !== 'string' || node.ref === '') {
    check.issues.push({ path: [...path, 'ref'], reason: `"ref" must name a condition, got ${describeValue(node.ref)}` });
    return;
  }
  check.refs.push({ name: node.ref, path });
};

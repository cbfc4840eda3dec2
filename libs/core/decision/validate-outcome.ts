import { ACTIONS, isAction } from './actions.js';
import { describeValue, isPlainObject, unexpectedKeyIssues, type TreeIssue } from './tree-issue.js';
import type { TreePath } from './tree-path.js';

const isPositiveFinite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Checks a leaf: a non-empty list of known actions plus optional parameters. */
export const checkOutcome = (outcome: unknown, path: TreePath): TreeIssue[] => {
  if (!isPlainObject(outcome)) {
    return [{ path, reason: `expected an outcome like {"actions": ["observe"]}, got ${describeValue(outcome)}` }];
  }
  return [
    ...unexpectedKeyIssues(outcome, ['actions', 'params'], path),
    ...checkActions(outcome.actions, [...path, 'actions']),
    ...(outcome.params === undefined ? [] : checkParams(outcome.params, [...path, 'params'])),
  ];
};

const checkActions = (actions: unknown, path: TreePath): TreeIssue[] => {
  if (!Array.isArray(actions) || actions.length === 0) {
    return [{ path, reason: `"actions" needs a non-empty list of actions (${ACTIONS.join(', ')}), got ${describeValue(actions)}` }];
  }
  const issues: TreeIssue[] = [];
  actions.forEach((action, index) => {
    if (!isAction(action)) {
      issues.push({ path: [...path, index], reason: `unknown action ${describeValue(action)} (known: ${ACTIONS.join(', ')})` });
    } else if (actions.indexOf(action) !== index) {
      issues.push({ path: [...path, index], reason: `action "${action}" is listed twice` });
    }
  });
  // "none" next to a real action is contradictory; reject rather than guess which was meant.
  if (actions.length > 1 && actions.includes('none')) {
    issues.push({ path, reason: '"none" cannot be combined with other actions' });
  }
  return issues;
};

const checkParams = (params: unknown, path: TreePath): TreeIssue[] => {
  if (!isPlainObject(params)) {
    return [{ path, reason: `"params" must be an object, got ${describeValue(params)}` }];
  }
  const issues = unexpectedKeyIssues(params, ['backoff', 'migrateFraction'], path);
  if (params.backoff !== undefined) issues.push(...checkBackoff(params.backoff, [...path, 'backoff']));
  const fraction = params.migrateFraction;
  if (fraction !== undefined && !(isPositiveFinite(fraction) && fraction <= 1)) {
    issues.push({ path: [...path, 'migrateFraction'], reason: `"migrateFraction" must be in (0, 1], got ${describeValue(fraction)}` });
  }
  return issues;
};

const checkBackoff = (backoff: unknown, path: TreePath): TreeIssue[] => {
  if (!isPlainObject(backoff)) {
    return [{ path, reason: `"backoff" must be {"initialMs", "maxMs", "multiplier"}, got ${describeValue(backoff)}` }];
  }
  const issues = unexpectedKeyIssues(backoff, ['initialMs', 'maxMs', 'multiplier'], path);
  const { initialMs, maxMs, multiplier } = backoff;
  if (!isPositiveFinite(initialMs)) {
    issues.push({ path: [...path, 'initialMs'], reason: `"initialMs" must be a positive number, got ${describeValue(initialMs)}` });
  }
  if (!isPositiveFinite(maxMs)) {
    issues.push({ path: [...path, 'maxMs'], reason: `"maxMs" must be a positive number, got ${describeValue(maxMs)}` });
  } else if (isPositiveFinite(initialMs) && maxMs < initialMs) {
    issues.push({ path: [...path, 'maxMs'], reason: `"maxMs" (${maxMs}) must be at least "initialMs" (${initialMs})` });
  }
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) {
    issues.push({ path: [...path, 'multiplier'], reason: `"multiplier" must be a number ≥ 1, got ${describeValue(multiplier)}` });
  }
  return issues;
};

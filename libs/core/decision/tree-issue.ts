import { formatTreePath, type TreePath } from './tree-path.js';

/** One problem found in a tree, located by the path of the offending node. */
export interface TreeIssue {
  readonly path: TreePath;
  readonly reason: string;
}

export const describeTreeIssue = (issue: TreeIssue): string =>
  `${formatTreePath(issue.path) || '(root)'}: ${issue.reason}`;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Short rendering of a bad value for error messages; authors need to recognise it, not read all of it. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export const unexpectedKeyIssues = (
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: TreePath,
): TreeIssue[] =>
  Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ path: [...path, key], reason: `unexpected key "${key}" (allowed: ${allowed.join(', ')})` }));

import type { TreeIssue } from './tree-issue.js';
import type { RefUse } from './validate-condition.js';

/**
 * Finds cycles among named conditions (a ref chain that comes back to where it began),
 * which would make evaluation recurse forever. Each cycle is reported once, at the ref
 * that closes it.
 */
export const findRefCycles = (refsByCondition: ReadonlyMap<string, readonly RefUse[]>): TreeIssue[] => {
  const issues: TreeIssue[] = [];
  const reported = new Set<string>();
  const finished = new Set<string>();
  const stack: string[] = [];

  const visit = (name: string): void => {
    stack.push(name);
    for (const ref of refsByCondition.get(name) ?? []) {
      const start = stack.indexOf(ref.name);
      if (start >= 0) {
        const cycle = [...stack.slice(start), ref.name];
        const key = [...cycle.slice(0, -1)].sort().join('\u0000');
        if (!reported.has(key)) {
          reported.add(key);
          issues.push({ path: ref.path, reason: `cycle in named conditions: ${cycle.join(' → ')}` });
        }
      } else if (!finished.has(ref.name) && refsByCondition.has(ref.name)) {
        visit(ref.name);
      }
    }
    stack.pop();
    finished.add(name);
  };

  for (const name of refsByCondition.keys()) {
    if (!finished.has(name)) visit(name);
  }
  return issues;
};

import type { ConditionTrace, DecisionEvaluation } from '../decision/evaluate-tree.js';

const predicateDetails = (trace: ConditionTrace): string[] =>
  trace.kind === 'pred' ? [trace.detail] : (trace.children ?? []).flatMap(predicateDetails);

/**
 * One line for a remediation's reason: every rule tried, and for the one that matched the
 * predicate values that decided it, e.g.
 * `isolate-wedged ✗ · degrade-failing ✓ (heartbeatLost=true) → degrade`.
 */
export const summarisePath = (evaluation: DecisionEvaluation): string => {
  const rules = evaluation.path.map((rule) =>
    rule.matched ? `${rule.name} ✓ (${predicateDetails(rule.condition).join(', ')})` : `${rule.name} ✗`,
  );
  const { verdict } = evaluation;
  const outcome = `${verdict.matchedRule === null ? 'otherwise ' : ''}→ ${verdict.actions.join('+')}`;
  return [...rules, outcome].join(' · ');
};

import type { ConditionTrace, DecisionEvaluation } from './evaluate-tree.js';

/** Renders an evaluation as indented lines for reports and logs. */
export const explainEvaluation = (evaluation: DecisionEvaluation): string[] => {
  const lines: string[] = [];
  for (const rule of evaluation.path) {
    lines.push(`rules[${rule.index}] "${rule.name}": ${rule.matched ? 'match' : 'no match'}`);
    appendCondition(rule.condition, 1, lines);
  }
  const { verdict } = evaluation;
  const source = verdict.matchedRule === null ? 'otherwise' : `rule "${verdict.matchedRule.name}"`;
  const params = verdict.params === undefined ? '' : ` ${JSON.stringify(verdict.params)}`;
  lines.push(`verdict: ${verdict.actions.join('+')}${params} (${source})`);
  return lines;
};

const appendCondition = (trace: ConditionTrace, depth: number, lines: string[]): void => {
  lines.push(`${'  '.repeat(depth)}${trace.at}: ${trace.detail}`);
  for (const child of trace.children ?? []) appendCondition(child, depth + 1, lines);
};

import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DECISION_TREE } from './default-tree.js';
import { evaluateTree } from './evaluate-tree.js';
import { explainEvaluation } from './explain-evaluation.js';
import { HEALTHY_FACTS } from './test-facts.js';

describe(explainEvaluation.name, () => {
  it('should list every rule tried, the values seen and the verdict', () => {
    const evaluation = evaluateTree(DEFAULT_DECISION_TREE, {
      ...HEALTHY_FACTS,
      heartbeatLost: true,
      writeBlocked: true,
      score: 12,
    });
    expect(explainEvaluation(evaluation)).toEqual([
      'rules[0] "isolate-vanished": no match',
      '  rules[0].when: vanished=false',
      'rules[1] "isolate-wedged": match',
      '  rules[1].when: ref "wedged" → true',
      '    conditions.wedged: AND → true',
      '      conditions.wedged.and[0]: heartbeatLost=true',
      '      conditions.wedged.and[1]: writeBlocked=true',
      'verdict: quarantine+migrate {"migrateFraction":1} (rule "isolate-wedged")',
    ]);
  });
});

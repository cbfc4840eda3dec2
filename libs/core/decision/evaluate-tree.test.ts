import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { evaluateCondition, evaluateTree } from './evaluate-tree.js';
import { BOOLEAN_PREDICATES, type DecisionFacts } from './predicates.js';
import type { ConditionNode, DecisionTree } from './tree.js';
import { HEALTHY_FACTS } from './test-facts.js';
import { validateTree } from './validate-tree.js';

const HEALTHY: DecisionFacts = HEALTHY_FACTS;

const factsArb: fc.Arbitrary<DecisionFacts> = fc.record({
  ...(Object.fromEntries(BOOLEAN_PREDICATES.map((p) => [p, fc.boolean()])) as Record<(typeof BOOLEAN_PREDICATES)[number], fc.Arbitrary<boolean>>),
  score: fc.integer({ min: 0, max: 100 }),
});

const { condition: conditionArb } = fc.letrec<{ condition: ConditionNode; leaf: ConditionNode }>((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom(...BOOLEAN_PREDICATES).map((pred): ConditionNode => ({ pred })),
    fc.record({ pred: fc.constantFrom('scoreBelow' as const, 'scoreAbove' as const), value: fc.integer({ min: 0, max: 100 }) }),
    fc.boolean().map((value): ConditionNode => ({ const: value })),
  ),
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((and): ConditionNode => ({ and })),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((or): ConditionNode => ({ or })),
    tie('condition').map((not): ConditionNode => ({ not })),
  ),
}));

const singleRuleTree = (when: ConditionNode): DecisionTree => ({
  rules: [{ name: 'only', when, then: { actions: ['observe'] } }],
  otherwise: { actions: ['none'] },
});

/** Whether the condition holds, as observed through evaluateTree. */
const holds = (when: ConditionNode, facts: DecisionFacts): boolean =>
  evaluateTree(singleRuleTree(when), facts).verdict.matchedRule !== null;

/** Independent reference semantics to check evaluateTree against. */
const truth = (node: ConditionNode, f: DecisionFacts): boolean => {
  if ('and' in node) return node.and.every((n) => truth(n, f));
  if ('or' in node) return node.or.some((n) => truth(n, f));
  if ('not' in node) return !truth(node.not, f);
  if ('const' in node) return node.const;
  if ('ref' in node) throw new Error('no refs here');
  if (node.pred === 'scoreBelow') return f.score < node.value;
  if (node.pred === 'scoreAbove') return f.score > node.value;
  return f[node.pred];
};

describe(evaluateTree.name, () => {
  it('should agree with the reference semantics', () => {
    fc.assert(
      fc.property(conditionArb, factsArb, (when, facts) => {
        expect(validateTree(singleRuleTree(when)).ok).toBe(true);
        expect(holds(when, facts)).toBe(truth(when, facts));
      }),
    );
  });

  it('should obey De Morgan', () => {
    fc.assert(
      fc.property(conditionArb, conditionArb, factsArb, (a, b, facts) => {
        expect(holds({ not: { and: [a, b] } }, facts)).toBe(holds({ or: [{ not: a }, { not: b }] }, facts));
        expect(holds({ not: { or: [a, b] } }, facts)).toBe(holds({ and: [{ not: a }, { not: b }] }, facts));
      }),
    );
  });

  it('should obey double negation', () => {
    fc.assert(fc.property(conditionArb, factsArb, (a, facts) => expect(holds({ not: { not: a } }, facts)).toBe(holds(a, facts))));
  });

  it('should treat AND and OR as commutative', () => {
    fc.assert(
      fc.property(conditionArb, conditionArb, factsArb, (a, b, facts) => {
        expect(holds({ and: [a, b] }, facts)).toBe(holds({ and: [b, a] }, facts));
        expect(holds({ or: [a, b] }, facts)).toBe(holds({ or: [b, a] }, facts));
      }),
    );
  });

  it('should have true and false as identities of AND and OR', () => {
    fc.assert(
      fc.property(conditionArb, factsArb, (a, facts) => {
        expect(holds({ and: [a, { const: true }] }, facts)).toBe(holds(a, facts));
        expect(holds({ or: [a, { const: false }] }, facts)).toBe(holds(a, facts));
        expect(holds({ and: [a] }, facts)).toBe(holds(a, facts));
        expect(holds({ or: [a] }, facts)).toBe(holds(a, facts));
      }),
    );
  });

  it('should evaluate a ref like the condition it names', () => {
    fc.assert(
      fc.property(conditionArb, factsArb, (a, facts) => {
        const tree: DecisionTree = { ...singleRuleTree({ not: { ref: 'named' } }), conditions: { named: a } };
        expect(validateTree(tree).ok).toBe(true);
        expect(evaluateTree(tree, facts).verdict.matchedRule !== null).toBe(!holds(a, facts));
      }),
    );
  });

  it('should pick the first matching rule and trace every rule tried', () => {
    const tree: DecisionTree = {
      rules: [
        { name: 'never', when: { pred: 'shutdownNotice' }, then: { actions: ['drain'] } },
        { name: 'low', when: { pred: 'scoreBelow', value: 40 }, then: { actions: ['degrade'] } },
        { name: 'also-low', when: { pred: 'scoreBelow', value: 50 }, then: { actions: ['observe'] } },
      ],
      otherwise: { actions: ['none'] },
    };
    const { verdict, path } = evaluateTree(tree, { ...HEALTHY, score: 37 });
    expect(verdict).toEqual({ actions: ['degrade'], matchedRule: { index: 1, name: 'low' } });
    expect(path.map((r) => [r.name, r.matched])).toEqual([
      ['never', false],
      ['low', true],
    ]);
    expect(path[1]?.condition).toEqual({ at: 'rules[1].when', kind: 'pred', value: true, detail: 'score=37 < 40 → true' });
  });

  it('should fall back to otherwise when no rule matches', () => {
    const tree: DecisionTree = {
      rules: [{ name: 'high', when: { pred: 'scoreAbove', value: 99.5 }, then: { actions: ['observe'] } }],
      otherwise: { actions: ['none'] },
    };
    const { verdict, path } = evaluateTree(tree, { ...HEALTHY, score: 98.257 });
    expect(verdict).toEqual({ actions: ['none'], matchedRule: null });
    expect(path[0]?.condition.detail).toBe('score=98.26 > 99.5 → false');
  });

  it('should trace operands up to the one that settles AND/OR, through refs', () => {
    const tree: DecisionTree = {
      conditions: { stuck: { and: [{ pred: 'writeBlocked' }, { not: { pred: 'retryPending' } }] } },
      rules: [{ name: 'r', when: { or: [{ pred: 'heartbeatLost' }, { ref: 'stuck' }, { pred: 'rttSpike' }] }, then: { actions: ['degrade'] } }],
      otherwise: { actions: ['none'] },
    };
    const { path } = evaluateTree(tree, { ...HEALTHY, writeBlocked: true });
    expect(path[0]?.condition).toEqual({
      at: 'rules[0].when',
      kind: 'or',
      value: true,
      detail: 'OR → true',
      children: [
        { at: 'rules[0].when.or[0]', kind: 'pred', value: false, detail: 'heartbeatLost=false' },
        {
          at: 'rules[0].when.or[1]',
          kind: 'ref',
          value: true,
          detail: 'ref "stuck" → true',
          children: [
            {
              at: 'conditions.stuck',
              kind: 'and',
              value: true,
              detail: 'AND → true',
              children: [
                { at: 'conditions.stuck.and[0]', kind: 'pred', value: true, detail: 'writeBlocked=true' },
                {
                  at: 'conditions.stuck.and[1]',
                  kind: 'not',
                  value: true,
                  detail: 'NOT → true',
                  children: [{ at: 'conditions.stuck.and[1].not', kind: 'pred', value: false, detail: 'retryPending=false' }],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('should carry the params of the matched leaf', () => {
    const backoff = { initialMs: 100, maxMs: 1_000, multiplier: 2 };
    const tree: DecisionTree = {
      rules: [{ name: 'wait', when: { const: true }, then: { actions: ['observe'], params: { backoff } } }],
      otherwise: { actions: ['none'] },
    };
    expect(evaluateTree(tree, HEALTHY).verdict.params).toEqual({ backoff });
  });

  it('should refuse to loop on an unvalidated cyclic tree', () => {
    const tree: DecisionTree = { ...singleRuleTree({ ref: 'a' }), conditions: { a: { ref: 'b' }, b: { ref: 'a' } } };
    expect(() => evaluateTree(tree, HEALTHY)).toThrow('cycle in named conditions: a → b → a');
  });
});

describe(evaluateCondition.name, () => {
  it('should evaluate a lone condition without a tree', () => {
    expect(evaluateCondition({ not: { pred: 'errorBurst' } }, HEALTHY).value).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DECISION_TREE } from './default-tree.js';
import { describeTreeIssue } from './tree-issue.js';
import { DecisionTreeValidationError, parseDecisionTree, validateTree } from './validate-tree.js';

const none = { actions: ['none'] };

/** Messages of every issue, e.g. `rules[0].when.and[1].pred: unknown predicate "x" (...)`. */
const problems = (tree: unknown): string[] => {
  const validation = validateTree(tree);
  return validation.ok ? [] : validation.issues.map(describeTreeIssue);
};

const treeWith = (when: unknown, conditions?: Record<string, unknown>): unknown => ({
  ...(conditions === undefined ? {} : { conditions }),
  rules: [{ name: 'r', when, then: { actions: ['observe'] } }],
  otherwise: none,
});

describe(validateTree.name, () => {
  it('should accept the default tree', () => {
    expect(validateTree(DEFAULT_DECISION_TREE)).toEqual({ ok: true, tree: DEFAULT_DECISION_TREE });
  });

  it('should accept a tree with no rules', () => {
    expect(validateTree({ rules: [], otherwise: none }).ok).toBe(true);
  });

  it('should name the node of an unknown predicate', () => {
    const tree = treeWith({ and: [{ pred: 'heartbeatLost' }, { pred: 'heartbeatLst' }] });
    expect(problems(tree)).toEqual([expect.stringMatching(/^rules\[0\]\.when\.and\[1\]\.pred: unknown predicate "heartbeatLst"/)]);
  });

  it('should name a dangling ref and where it is used', () => {
    const tree = treeWith({ or: [{ pred: 'writeBlocked' }, { ref: 'stalled' }] });
    expect(problems(tree)).toEqual(['rules[0].when.or[1]: dangling ref "stalled": no such entry in "conditions"']);
  });

  it('should name the conditions of a cycle', () => {
    const tree = treeWith(
      { ref: 'a' },
      { a: { and: [{ pred: 'writeBlocked' }, { ref: 'b' }] }, b: { not: { ref: 'a' } } },
    );
    expect(problems(tree)).toEqual(['conditions.b.not: cycle in named conditions: a → b → a']);
  });

  it('should reject a condition that refers to itself', () => {
    expect(problems(treeWith({ pred: 'rttSpike' }, { loop: { ref: 'loop' } }))).toEqual([
      'conditions.loop: cycle in named conditions: loop → loop',
    ]);
  });

  it('should reject a malformed node, naming it', () => {
    const [issue] = problems(treeWith({ and: [{ pred: 'writeBlocked' }, { or: [{ pred: 'rttSpike' }], not: { const: true } }] }));
    expect(issue).toMatch(/^rules\[0\]\.when\.and\[1\]: malformed node: expected exactly one of/);
  });

  it('should reject a node that is not an object', () => {
    expect(problems(treeWith({ not: 'heartbeatLost' }))).toEqual([
      expect.stringMatching(/^rules\[0\]\.when\.not: malformed node.*got "heartbeatLost"$/),
    ]);
  });

  it('should reject an empty AND', () => {
    expect(problems(treeWith({ and: [] }))).toEqual([expect.stringMatching(/^rules\[0\]\.when\.and: "and" needs a non-empty list/)]);
  });

  it('should require a finite value on score comparisons', () => {
    expect(problems(treeWith({ pred: 'scoreBelow' }))).toEqual([
      expect.stringMatching(/^rules\[0\]\.when\.value: "scoreBelow" needs a finite number "value"/),
    ]);
  });

  it('should reject unexpected keys, naming them', () => {
    expect(problems(treeWith({ pred: 'writeBlocked', value: 3 }))).toEqual([
      expect.stringMatching(/^rules\[0\]\.when\.value: unexpected key "value"/),
    ]);
    expect(problems({ rules: [], otherwse: none, otherwise: none })).toEqual([expect.stringMatching(/^otherwse: unexpected key/)]);
  });

  it('should reject unknown, duplicate and contradictory actions', () => {
    const tree = {
      rules: [
        { name: 'a', when: { pred: 'rttSpike' }, then: { actions: ['observe', 'reboot'] } },
        { name: 'b', when: { pred: 'rttSpike' }, then: { actions: ['degrade', 'degrade'] } },
        { name: 'c', when: { pred: 'rttSpike' }, then: { actions: ['none', 'drain'] } },
      ],
      otherwise: { actions: [] },
    };
    expect(problems(tree)).toEqual([
      expect.stringMatching(/^rules\[0\]\.then\.actions\[1\]: unknown action "reboot"/),
      'rules[1].then.actions[1]: action "degrade" is listed twice',
      'rules[2].then.actions: "none" cannot be combined with other actions',
      expect.stringMatching(/^otherwise\.actions: "actions" needs a non-empty list/),
    ]);
  });

  it('should check action params', () => {
    const tree = {
      rules: [
        {
          name: 'a',
          when: { pred: 'rttSpike' },
          then: { actions: ['observe'], params: { backoff: { initialMs: 500, maxMs: 100, multiplier: 0.5 }, migrateFraction: 2 } },
        },
      ],
      otherwise: none,
    };
    expect(problems(tree)).toEqual([
      'rules[0].then.params.backoff.maxMs: "maxMs" (100) must be at least "initialMs" (500)',
      'rules[0].then.params.backoff.multiplier: "multiplier" must be a number ≥ 1, got 0.5',
      'rules[0].then.params.migrateFraction: "migrateFraction" must be in (0, 1], got 2',
    ]);
  });

  it('should reject duplicate rule names, naming the first use', () => {
    const rule = { name: 'same', when: { pred: 'rttSpike' }, then: none };
    expect(problems({ rules: [rule, rule], otherwise: none })).toEqual([
      'rules[1].name: duplicate rule name "same" (first used by rules[0])',
    ]);
  });

  it('should reject a missing default outcome and a non-object tree', () => {
    expect(problems({ rules: [] })).toEqual([expect.stringMatching(/^otherwise: missing the default outcome/)]);
    expect(problems(null)).toEqual(['(root): expected a decision tree object, got null']);
  });

  it('should bound nesting depth', () => {
    let deep: unknown = { pred: 'rttSpike' };
    for (let i = 0; i < 100; i += 1) deep = { not: deep };
    expect(problems(treeWith(deep))).toEqual([expect.stringMatching(/nested deeper than 32 levels$/)]);
  });

  it('should report every problem at once', () => {
    const tree = treeWith({ and: [{ pred: 'nope' }, { ref: 'missing' }] });
    expect(problems(tree)).toHaveLength(2);
  });
});

describe(parseDecisionTree.name, () => {
  it('should throw an error that names the offending node', () => {
    expect(() => parseDecisionTree(treeWith({ ref: 'ghost' }))).toThrow(DecisionTreeValidationError);
    expect(() => parseDecisionTree(treeWith({ ref: 'ghost' }))).toThrow('rules[0].when: dangling ref "ghost"');
  });

  it('should return a valid tree unchanged', () => {
    expect(parseDecisionTree(DEFAULT_DECISION_TREE)).toBe(DEFAULT_DECISION_TREE);
  });
});

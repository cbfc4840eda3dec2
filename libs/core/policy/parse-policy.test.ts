import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from './default-policy.js';
import { PolicyValidationError, parsePolicy } from './parse-policy.js';

type Json = Record<string, unknown>;

/** A fresh JSON copy of the default policy. */
const policyJson = (): Json => JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Json;

/** The default policy with the values at the given paths replaced, to break one thing at a time. */
const policyWith = (...changes: [path: (string | number)[], value: unknown][]): Json => {
  const policy = policyJson();
  for (const [path, value] of changes) {
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Json, policy);
    parent[path.at(-1) ?? ''] = value;
  }
  return policy;
};

const issuesOf = (input: unknown): string[] => {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
};

describe(parsePolicy.name, () => {
  it('should accept the default policy, as a value and as JSON text', () => {
    expect(parsePolicy(policyJson())).toEqual(DEFAULT_POLICY);
    expect(parsePolicy(JSON.stringify(DEFAULT_POLICY))).toEqual(DEFAULT_POLICY);
  });

  it('should fill in detector defaults', () => {
    const { detector: _omitted, ...rest } = policyJson();
    expect(parsePolicy(rest).detector).toEqual(DEFAULT_POLICY.detector);
    expect(parsePolicy({ ...rest, detector: { pongTimeoutMs: 400 } }).detector).toEqual({ ...DEFAULT_POLICY.detector, pongTimeoutMs: 400 });
  });

  it('should accept a quorum of all or a number of observers, and refuse a partition response that removes', () => {
    expect(parsePolicy(policyWith([['detector', 'agreement', 'quorum'], 2])).detector.agreement.quorum).toBe(2);
    expect(parsePolicy(policyWith([['detector', 'agreement', 'onPartition'], 'degrade'])).detector.agreement.onPartition).toBe('degrade');
    expect(issuesOf(policyWith([['detector', 'agreement', 'quorum'], 0]))).toEqual([expect.stringMatching(/^detector\.agreement\.quorum: /)]);
    expect(issuesOf(policyWith([['detector', 'agreement', 'onPartition'], 'quarantine']))).toEqual([expect.stringMatching(/^detector\.agreement\.onPartition: /)]);
  });

  it('should accept any positive integer version and either mode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom('enforce', 'shadow'), (version, mode) => {
        expect(parsePolicy({ ...policyJson(), version, mode })).toMatchObject({ version, mode });
      }),
    );
  });

  it('should reject a version that is not a positive integer, naming the field', () => {
    for (const version of [0, -1, 1.5, '1']) {
      expect(issuesOf({ ...policyJson(), version })).toEqual([expect.stringMatching(/^version: /)]);
    }
  });

  it('should reject an unknown mode', () => {
    expect(issuesOf({ ...policyJson(), mode: 'dry-run' })).toEqual([expect.stringMatching(/^mode: Invalid option/)]);
  });

  it('should name a nested field', () => {
    const policy = policyWith([['health', 'weights', 'rttJitter'], 'heavy'], [['guardrails', 'maxQuarantinedFraction'], 1.5]);
    expect(issuesOf(policy)).toEqual([
      expect.stringMatching(/^health\.weights\.rttJitter: Invalid input: expected number/),
      expect.stringMatching(/^guardrails\.maxQuarantinedFraction: Too big/),
    ]);
  });

  it('should reject a critical threshold not above warn', () => {
    const policy = policyWith([['health', 'thresholds', 'writeBlocked'], { warn: 0.5, critical: 0.2 }]);
    expect(issuesOf(policy)).toEqual(['health.thresholds.writeBlocked.critical: must be greater than warn (0.5)']);
  });

  it('should reject all-zero weights', () => {
    const weights = Object.fromEntries(Object.keys(DEFAULT_POLICY.health.weights).map((key) => [key, 0]));
    const policy = policyWith([['health', 'weights'], weights]);
    expect(issuesOf(policy)).toEqual(['health.weights: at least one weight must be positive']);
  });

  it('should reject hysteresis that clears below where it fires', () => {
    const policy = policyWith([['hysteresis'], { fireBelow: 60, fireAfterMs: 0, clearAbove: 40, clearAfterMs: 0 }]);
    expect(issuesOf(policy)).toEqual([expect.stringMatching(/^hysteresis\.clearAbove: must be at least fireBelow \(60\)/)]);
  });

  it('should reject unknown keys, naming them', () => {
    expect(issuesOf({ ...policyJson(), guardrail: {} })).toEqual([': Unrecognized key: "guardrail"']);
    expect(() => parsePolicy({ ...policyJson(), guardrail: {} })).toThrow('invalid policy: (root): Unrecognized key: "guardrail"');
  });

  it('should name the offending tree node', () => {
    const policy = policyWith([['decisionTree', 'rules', 1, 'when'], { and: [{ pred: 'heartbeatLst' }, { ref: 'nowhere' }] }]);
    expect(issuesOf(policy)).toEqual([
      expect.stringMatching(/^decisionTree\.rules\[1\]\.when\.and\[0\]\.pred: unknown predicate "heartbeatLst"/),
      'decisionTree.rules[1].when.and[1]: dangling ref "nowhere": no such entry in "conditions"',
    ]);
  });

  it('should name a cycle in the tree', () => {
    const policy = policyWith([['decisionTree', 'conditions', 'wedged'], { or: [{ pred: 'heartbeatLost' }, { ref: 'wedged' }] }]);
    expect(issuesOf(policy)).toEqual(['decisionTree.conditions.wedged.or[1]: cycle in named conditions: wedged → wedged']);
  });

  it('should report a missing tree', () => {
    const { decisionTree: _omitted, ...rest } = policyJson();
    expect(issuesOf(rest)).toEqual([expect.stringMatching(/^decisionTree: expected a decision tree object/)]);
  });

  it('should report every problem in the message', () => {
    const policy = policyWith([['name'], ''], [['probation', 'durationMs'], -5]);
    expect(() => parsePolicy(policy)).toThrow(/^invalid policy: name: .*; probation\.durationMs: /);
  });

  it('should reject text that is not JSON', () => {
    expect(() => parsePolicy('{"version": 1,')).toThrow(PolicyValidationError);
    expect(issuesOf('{"version": 1,')).toEqual([expect.stringMatching(/^: not valid JSON/)]);
  });
});

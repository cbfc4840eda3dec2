import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_DECISION_TREE } from './default-tree.js';
import { evaluateTree } from './evaluate-tree.js';
import type { DecisionFacts } from './predicates.js';
import { HEALTHY_FACTS } from './test-facts.js';
import { validateTree } from './validate-tree.js';

const HEALTHY: DecisionFacts = HEALTHY_FACTS;

const decide = (facts: Partial<DecisionFacts>): string[] => [
  ...evaluateTree(DEFAULT_DECISION_TREE, { ...HEALTHY, ...facts }).verdict.actions,
];

describe('DEFAULT_DECISION_TREE', () => {
  it('should pass validation', () => {
    expect(validateTree(DEFAULT_DECISION_TREE).ok).toBe(true);
  });

  it('should be frozen', () => {
    expect(Object.isFrozen(DEFAULT_DECISION_TREE.rules[0]?.then.actions)).toBe(true);
  });

  it('should follow DESIGN.md', () => {
    expect(decide({ heartbeatLost: true, writeBlocked: true })).toEqual(['quarantine', 'migrate']);
    expect(decide({ heartbeatLost: true })).toEqual(['degrade']);
    expect(decide({ writeBlocked: true })).toEqual(['degrade']);
    expect(decide({ writeBlocked: true, retryPending: true })).toEqual(['observe']);
    expect(decide({})).toEqual(['none']);
  });

  it('should back off while a retry is pending', () => {
    const { verdict } = evaluateTree(DEFAULT_DECISION_TREE, { ...HEALTHY, writeBlocked: true, retryPending: true });
    expect(verdict.params?.backoff).toBeDefined();
  });

  it('should act on a poor score and a shutdown notice', () => {
    expect(decide({ score: 20 })).toEqual(['degrade']);
    expect(decide({ score: 40 })).toEqual(['observe']);
    expect(decide({ errorBurst: true })).toEqual(['observe']);
    expect(decide({ shutdownNotice: true })).toEqual(['drain']);
  });

  it('should act on Kubernetes facts', () => {
    expect(decide({ podTerminating: true })).toEqual(['quarantine', 'migrate']);
    expect(decide({ podNotReady: true })).toEqual(['quarantine', 'migrate']);
    expect(decide({ nodeLost: true, podNotReady: true })).toEqual(['quarantine', 'migrate']);
    expect(decide({ podRestarting: true })).toEqual(['observe']);
  });

  it('should quarantine whenever heartbeats are lost and writes are blocked', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 100 }), (retryPending, shutdownNotice, score) => {
        expect(decide({ heartbeatLost: true, writeBlocked: true, retryPending, shutdownNotice, score })).toEqual(['quarantine', 'migrate']);
      }),
    );
  });
});

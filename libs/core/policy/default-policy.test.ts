import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DECISION_TREE } from '../decision/default-tree.js';
import { validateTree } from '../decision/validate-tree.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { PolicySchema } from './policy-schema.js';

describe('DEFAULT_POLICY', () => {
  it('should pass validation', () => {
    expect(PolicySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
    expect(validateTree(DEFAULT_POLICY.decisionTree).ok).toBe(true);
  });

  it('should carry the documented defaults', () => {
    expect(DEFAULT_POLICY.detector).toEqual({
      pingIntervalMs: 100,
      pongTimeoutMs: 250,
      missesToSuspect: 3,
      observers: 2,
      availability: { windowMs: 60_000, minObservedMs: 20_000, intermittentStallsPerMinute: 6, intermittentUnavailableFraction: 0.05 },
      agreement: { quorum: 'all', viewFreshMs: 10_000, waitForViewsMs: 1_500, onPartition: 'observe' },
    });
    expect(DEFAULT_POLICY.guardrails.maxQuarantinedFraction).toBe(0.34);
    expect(DEFAULT_POLICY.decisionTree).toBe(DEFAULT_DECISION_TREE);
  });

  it('should parse a policy stored before availability existed with the availability defaults', () => {
    const { unavailability: _w, ...weights } = DEFAULT_POLICY.health.weights;
    const { unavailability: _t, ...thresholds } = DEFAULT_POLICY.health.thresholds;
    const { availability: _a, ...detector } = DEFAULT_POLICY.detector;
    const old = PolicySchema.parse({ ...DEFAULT_POLICY, health: { ...DEFAULT_POLICY.health, weights, thresholds }, detector });
    expect(old.health.weights.unavailability).toBe(DEFAULT_POLICY.health.weights.unavailability);
    expect(old.health.thresholds.unavailability).toEqual(DEFAULT_POLICY.health.thresholds.unavailability);
    expect(old.detector.availability).toEqual(DEFAULT_POLICY.detector.availability);
  });

  it('should parse a policy stored before the migration budget existed with the budget defaults', () => {
    const { budget: _b, ...migration } = DEFAULT_POLICY.migration;
    expect(PolicySchema.parse({ ...DEFAULT_POLICY, migration }).migration.budget).toEqual(DEFAULT_POLICY.migration.budget);
  });

  it('should refuse a migration budget outside its bounds, naming the setting', () => {
    const result = PolicySchema.safeParse({ ...DEFAULT_POLICY, migration: { ...DEFAULT_POLICY.migration, budget: { ...DEFAULT_POLICY.migration.budget, reconnectsPerSecondPerTarget: 0 } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['migration', 'budget', 'reconnectsPerSecondPerTarget']);
  });

  it('should count a gateway critical on misses exactly when the detector suspects it', () => {
    expect(DEFAULT_POLICY.health.thresholds.heartbeatMisses.critical).toBe(DEFAULT_POLICY.detector.missesToSuspect);
  });

  it('should be frozen', () => {
    expect(Object.isFrozen(DEFAULT_POLICY.health.weights)).toBe(true);
  });
});

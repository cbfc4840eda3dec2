import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KubernetesPolicySchema } from '../policy/kubernetes-policy.js';
import { podFindings } from './pod-findings.js';
import { type PodObservation } from './pod-observation.js';
import { podObservation } from './test-fixtures.js';

const policy = KubernetesPolicySchema.parse({});
const NOW = 1_000_000;

const pod = (change: Partial<PodObservation> = {}): PodObservation => podObservation({ readyChangedAtMs: NOW - 60_000, ...change });

describe(podFindings.name, () => {
  it('should find nothing on a Ready pod on a Ready node', () => {
    expect(podFindings(pod(), { name: 'node-a', ready: 'True' }, policy, { nowMs: NOW, wasReady: true })).toEqual([]);
  });

  it('should call a pod unready only after the policy threshold', () => {
    const justNow = pod({ ready: false, readyChangedAtMs: NOW - policy.notReadyAfterMs + 1 });
    const longAgo = pod({ ready: false, readyChangedAtMs: NOW - policy.notReadyAfterMs });
    expect(podFindings(justNow, undefined, policy, { nowMs: NOW, wasReady: true })).toEqual([]);
    expect(podFindings(longAgo, undefined, policy, { nowMs: NOW, wasReady: true })).toEqual(['podNotReady']);
  });

  it('should not call a starting pod unready, nor a terminating one', () => {
    const unready = { ready: false, readyChangedAtMs: NOW - 3_600_000 };
    expect(podFindings(pod(unready), undefined, policy, { nowMs: NOW, wasReady: false })).toEqual([]);
    expect(podFindings(pod({ ...unready, terminating: true }), undefined, policy, { nowMs: NOW, wasReady: true })).toEqual(['podTerminating']);
  });

  it('should find a lost node only for pods on that node', () => {
    expect(podFindings(pod(), { name: 'node-a', ready: 'Unknown' }, policy, { nowMs: NOW, wasReady: true })).toEqual(['nodeLost']);
    expect(podFindings(pod(), { name: 'node-b', ready: 'False' }, policy, { nowMs: NOW, wasReady: true })).toEqual([]);
  });

  it('should flag restarts from the policy count on, whatever else holds', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.boolean(), fc.boolean(), (restarts, ready, terminating) => {
        const found = podFindings(pod({ restarts, ready, terminating }), undefined, policy, { nowMs: NOW, wasReady: true });
        expect(found.includes('podRestarting')).toBe(restarts >= policy.restartsToFlag);
        expect(found.includes('podTerminating')).toBe(terminating);
      }),
    );
  });
});

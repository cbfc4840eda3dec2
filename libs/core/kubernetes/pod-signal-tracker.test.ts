import { describe, expect, it } from '@jest/globals';
import { KubernetesPolicySchema } from '../policy/kubernetes-policy.js';
import { PodSignalTracker } from './pod-signal-tracker.js';
import { ScaleOutDebounce } from './scale-out-debounce.js';
import { podObservation as pod } from './test-fixtures.js';

const policy = KubernetesPolicySchema.parse({ notReadyAfterMs: 1_000 });


describe(PodSignalTracker.name, () => {
  it('should report a finding as fresh once, when it appears', () => {
    const tracker = new PodSignalTracker(() => policy);
    expect(tracker.observe(pod(), undefined, 100, true).fresh).toEqual([]);
    const unready = pod({ ready: false, readyChangedAtMs: 200 });
    expect(tracker.observe(unready, undefined, 500).fresh).toEqual([]);
    expect(tracker.observe(unready, undefined, 1_300).fresh).toEqual(['podNotReady']);
    expect(tracker.observe(unready, undefined, 1_400)).toMatchObject({ findings: ['podNotReady'], fresh: [] });
    const terminating = { ...unready, terminating: true };
    expect(tracker.observe(terminating, undefined, 1_500).fresh).toEqual(['podTerminating']);
  });

  it('should tell a new Ready pod from one of the initial listing', () => {
    const tracker = new PodSignalTracker(() => policy);
    expect(tracker.observe(pod({ uid: 'old' }), undefined, 0, true).becameReady).toBe(false);
    expect(tracker.observe(pod({ uid: 'new', ready: false }), undefined, 10).becameReady).toBe(false);
    expect(tracker.observe(pod({ uid: 'new' }), undefined, 20).becameReady).toBe(true);
    expect(tracker.observe(pod({ uid: 'new' }), undefined, 30).becameReady).toBe(false);
  });

  it('should drain a pod already terminating when it first sees it (a new leader)', () => {
    const tracker = new PodSignalTracker(() => policy);
    expect(tracker.observe(pod({ terminating: true }), undefined, 0, true).fresh).toEqual(['podTerminating']);
  });
});

describe(ScaleOutDebounce.name, () => {
  it('should give one rebalance for a burst of new pods, after the quiet period', () => {
    const debounce = new ScaleOutDebounce(() => 1_000);
    debounce.noteReady('a', 0);
    debounce.noteReady('b', 600);
    expect(debounce.takeDue(1_200)).toBeUndefined();
    expect(debounce.takeDue(1_600)).toEqual(['a', 'b']);
    expect(debounce.takeDue(5_000)).toBeUndefined();
  });
});

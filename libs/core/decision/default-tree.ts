import { deepFreeze } from './deep-freeze.js';
import type { DecisionTree } from './tree.js';

/**
 * The tree from DESIGN.md, plus rules for a graceful shutdown and a poor health score.
 * Order matters (first match wins): the most specific, most severe evidence comes first.
 */
export const DEFAULT_DECISION_TREE: DecisionTree = deepFreeze<DecisionTree>({
  conditions: {
    // Neither answering pings nor draining its send buffers: the gateway is wedged.
    wedged: { and: [{ pred: 'heartbeatLost' }, { pred: 'writeBlocked' }] },
    // Blocked with no retry that could unblock it: stop adding load before it gets worse.
    blockedWithoutRetry: { and: [{ pred: 'writeBlocked' }, { not: { pred: 'retryPending' } }] },
  },
  rules: [
    {
      // Gone entirely (lease expired): nothing to wait for, take it out and re-home its sessions.
      name: 'isolate-vanished',
      when: { pred: 'vanished' },
      then: { actions: ['quarantine', 'migrate'], params: { migrateFraction: 1 } },
    },
    {
      name: 'isolate-wedged',
      when: { ref: 'wedged' },
      then: { actions: ['quarantine', 'migrate'], params: { migrateFraction: 1 } },
    },
    {
      // Its node stopped reporting (Kubernetes): the pod is as good as gone.
      name: 'isolate-lost-node',
      when: { pred: 'nodeLost' },
      then: { actions: ['quarantine', 'migrate'], params: { migrateFraction: 1 } },
    },
    {
      // Kubernetes is about to stop the pod (rolling update, eviction, scale-in): hot-migrate
      // its sessions inside the termination grace period instead of letting them be cut.
      // Quarantine+migrate does what a drain does (no new sessions, every session moved)
      // without the approval a discretionary drain waits for: the pod dies either way, and
      // an approval wait would outlast the grace period.
      name: 'drain-terminating-pod',
      when: { pred: 'podTerminating' },
      then: { actions: ['quarantine', 'migrate'], params: { migrateFraction: 1 } },
    },
    {
      // Kubernetes found the pod unready for longer than the policy's threshold.
      name: 'isolate-unready-pod',
      when: { pred: 'podNotReady' },
      then: { actions: ['quarantine', 'migrate'], params: { migrateFraction: 1 } },
    },
    {
      // The gateway announced it is going away: move everyone off calmly.
      name: 'drain-on-shutdown',
      when: { pred: 'shutdownNotice' },
      then: { actions: ['drain'] },
    },
    {
      name: 'degrade-failing',
      when: { or: [{ pred: 'heartbeatLost' }, { ref: 'blockedWithoutRetry' }] },
      then: { actions: ['degrade'] },
    },
    {
      // Answering, but stalling again and again: stop new sessions; if it keeps coming back
      // like this, flap damping escalates (guardrails.flapDamping).
      name: 'degrade-intermittent',
      when: { pred: 'intermittent' },
      then: { actions: ['degrade'] },
    },
    {
      name: 'wait-for-retry',
      when: { and: [{ pred: 'writeBlocked' }, { pred: 'retryPending' }] },
      then: { actions: ['observe'], params: { backoff: { initialMs: 200, maxMs: 5_000, multiplier: 2 } } },
    },
    {
      // Vitals are very poor although no fast-path signal fired: stop new sessions.
      name: 'degrade-critical-score',
      when: { pred: 'scoreBelow', value: 25 },
      then: { actions: ['degrade'] },
    },
    {
      name: 'watch-unhealthy',
      when: { or: [{ pred: 'scoreBelow', value: 50 }, { pred: 'errorBurst' }, { pred: 'rttSpike' }, { pred: 'podRestarting' }] },
      then: { actions: ['observe'], params: { backoff: { initialMs: 1_000, maxMs: 30_000, multiplier: 2 } } },
    },
  ],
  otherwise: { actions: ['none'] },
});

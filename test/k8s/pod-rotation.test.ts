import { expect, it } from '@jest/globals';
import { DEFAULT_POLICY, ROTATION_LABEL, ROTATION_LINK_ANNOTATION, ROTATION_WORKFLOW_ANNOTATION } from '#core';
import { homeostatEvents, NAMESPACE, serviceEndpoints, waitUntil } from '#devstack';
import { waitForOutcome } from '../support/remediation-runs.js';
import { describeK8s, k8sSuite } from './support/k8s-env.js';

/**
 * K8s mode against a real kube-apiserver and kube-controller-manager (EndpointSlice and
 * node lifecycle controllers). Gateways are local processes; libs/devstack/local-kubelet.ts
 * plays their kubelet (Ready from each process's /healthz, placeholder pod IPs never
 * dialed, deletion → SIGTERM → SIGKILL).
 */
describeK8s('K8s mode: readiness and rotation', () => {
  const policy = {
    ...DEFAULT_POLICY,
    guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5 },
    kubernetes: { ...DEFAULT_POLICY.kubernetes, notReadyAfterMs: 1_000 },
  };
  const suite = k8sSuite(policy, async (env) => {
    for (const id of ['gw-1', 'gw-2', 'gw-3']) await env.kubelet.runPod(id);
  });

  it('should take an unready pod out of rotation, out of the Service, and tell the story in Events', async () => {
    const { env, temporal } = suite;
    await waitUntil('all three pods behind the Service', async () => (await serviceEndpoints(env.kube)).length === 3, { timeoutMs: 20_000 });
    await env.fleet.control('gw-2').injectFault({ kind: 'hang' });

    const report = await waitForOutcome(temporal.client, 'gw-2', ['healed', 'compensated', 'needs-human'], 60_000);
    expect(report).toMatchObject({ trigger: 'k8s', outcome: 'healed' });
    expect(report.decision).toMatchObject({ rule: 'isolate-unready-pod', facts: { podNotReady: true } });

    const pod = await env.kube.core.readNamespacedPod({ name: 'gw-2', namespace: NAMESPACE });
    expect(pod.metadata?.labels?.[ROTATION_LABEL]).toBe('out');
    expect(pod.metadata?.annotations?.[ROTATION_WORKFLOW_ANNOTATION]).toBe('remediate:gw-2');
    expect(pod.metadata?.annotations?.[ROTATION_LINK_ANNOTATION]).toContain('/workflows/remediate%3Agw-2/');
    await waitUntil('gw-2 gone from the EndpointSlice', async () => !(await serviceEndpoints(env.kube, { all: true })).includes('gw-2'), { timeoutMs: 10_000 });
    expect(await serviceEndpoints(env.kube, { all: true })).toEqual(['gw-1', 'gw-3']);

    const events = await waitUntil('the Healed Event', async () => {
      const found = await homeostatEvents(env.kube, 'gw-2');
      return found.some((e) => e.reason === 'Healed') ? found : undefined;
    });
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['RemediationStarted', 'TakenOutOfRotation', 'Healed']));
    expect(events.every((e) => e.note.includes('/workflows/remediate%3Agw-2/'))).toBe(true);
  });
});

import { afterAll, beforeAll, describe } from '@jest/globals';
import { type Policy } from '#core';
import { type K8sEnv, kubeSkipReason, startK8sEnv } from '#devstack';
import { PolicyStore } from '#etcd';
import { connectTemporalClient } from '../../support/temporal-client.js';

/**
 * K8s tests run against a real kube-apiserver and kube-controller-manager, which the test
 * run's global setup builds on first use. They are skipped only with HOMEOSTAT_K8S_TESTS=off,
 * saying so; CI never sets it.
 */
export const describeK8s = (name: string, body: () => void): void => {
  const skip = kubeSkipReason();
  if (skip) {
    process.stderr.write(`${skip}\n`);
    describe.skip(name, body);
  } else describe(name, body);
};

export interface K8sSuite {
  readonly env: K8sEnv;
  readonly temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
}

/**
 * A suite's cluster, set up before its tests and torn down after them: `policy` published,
 * the pods `runPods` starts, then the worker in K8s mode (its first listing sees those pods)
 * and a Temporal client. Read `env` and `temporal` inside the tests.
 */
export const k8sSuite = (policy: Policy, runPods: (env: K8sEnv) => Promise<void>, cluster: Parameters<typeof startK8sEnv>[1] = {}): K8sSuite => {
  let started: K8sSuite | undefined;
  let env: K8sEnv | undefined;
  beforeAll(async () => {
    env = await startK8sEnv({}, cluster);
    await new PolicyStore(env.etcd).publish(policy);
    await runPods(env);
    await env.fleet.startWorker(env.k8sEnv);
    started = { env, temporal: await connectTemporalClient(env.fleet.stack) };
  });
  afterAll(async () => {
    await started?.temporal.close();
    await env?.stop();
  });
  const suite = (): K8sSuite => {
    if (!started) throw new Error('the K8s suite is not set up (read env and temporal inside a test)');
    return started;
  };
  return {
    get env() {
      return suite().env;
    },
    get temporal() {
      return suite().temporal;
    },
  };
};

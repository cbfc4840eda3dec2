import { describe } from '@jest/globals';
import { kubeSkipReason } from '#devstack';

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

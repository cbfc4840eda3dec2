import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { MissingBinaryError, PROJECT_STATE_DIR } from './binaries.js';

/** The Kubernetes version `scripts/k8s-binaries.sh` builds and the K8s tests run against. */
export const K8S_VERSION = process.env.K8S_VERSION ?? 'v1.37.2';

export interface KubeBinaries {
  readonly apiserver: string;
  readonly controllerManager: string;
}

const BUILD_HINT = 'Build them once with `bash scripts/k8s-binaries.sh` (about 9 minutes on 2 cores; cached in .homeostat/k8s/).';

const binDir = (): string => process.env.HOMEOSTAT_K8S_BIN_DIR ?? join(PROJECT_STATE_DIR, 'k8s', K8S_VERSION, 'bin');

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The built kube-apiserver and kube-controller-manager, or undefined when they are not built. */
export const findKubeBinaries = (): KubeBinaries | undefined => {
  const dir = binDir();
  const found = { apiserver: join(dir, 'kube-apiserver'), controllerManager: join(dir, 'kube-controller-manager') };
  return executable(found.apiserver) && executable(found.controllerManager) ? found : undefined;
};

export const kubeBinaries = (): KubeBinaries => {
  const found = findKubeBinaries();
  if (found) return found;
  throw new MissingBinaryError(`kube-apiserver and kube-controller-manager ${K8S_VERSION} (in ${binDir()})`, BUILD_HINT);
};

/** `HOMEOSTAT_K8S_TESTS=off` opts out of the K8s suite (and of building its binaries). */
const k8sTestsOff = (): boolean => process.env.HOMEOSTAT_K8S_TESTS === 'off';

/**
 * Why K8s tests are skipped here: only when someone opted out. Missing binaries are built by
 * the test run's global setup, and if that failed the run failed; a K8s test never skips silently.
 */
export const kubeSkipReason = (): string | undefined => (k8sTestsOff() ? 'K8s tests skipped: HOMEOSTAT_K8S_TESTS=off.' : undefined);

/**
 * Builds the K8s test binaries on first use (the test suite's global setup calls this), with
 * the build's progress on the console; cached afterwards, so later runs return at once.
 * A failed build fails the run: silently skipping the K8s suite would pass a broken machine.
 */
export const provisionKubeBinaries = (): void => {
  if (k8sTestsOff() || findKubeBinaries()) return;
  process.stderr.write(`K8s test binaries missing: building kube-apiserver and kube-controller-manager ${K8S_VERSION} once (about 9 minutes on 2 cores)…\n`);
  const build = spawnSync('bash', [resolve('scripts/k8s-binaries.sh')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building the K8s test binaries failed (exit ${build.status ?? build.signal}); set HOMEOSTAT_K8S_TESTS=off to run without the K8s suite`);
};

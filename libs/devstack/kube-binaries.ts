import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
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

/** Why K8s tests are skipped here, or undefined when they can run. */
export const kubeSkipReason = (): string | undefined =>
  findKubeBinaries() ? undefined : `K8s tests skipped: kube-apiserver/kube-controller-manager ${K8S_VERSION} are not built in ${binDir()}. ${BUILD_HINT}`;

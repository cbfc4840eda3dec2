import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBIAN_ETCD, MissingBinaryError, PROJECT_STATE_DIR, USER_SPACE_ETCD, findEtcd, isExecutable, onPath } from '../binaries.js';
import { aptInstall, isRoot, progress, runStep } from './run-step.js';

const HOW_TO = (
  'Install it with `sudo apt-get install etcd-server` (Debian/Ubuntu), or put any etcd >= 3.4 on PATH ' +
  '(or set HOMEOSTAT_ETCD_BIN=/path/to/etcd), or point Homeostat at a running etcd with ETCD_ENDPOINTS.'
);

/** As root: the Debian package, system-wide. */
const installWithApt = async (): Promise<string> => {
  await aptInstall('etcd-server');
  return DEBIAN_ETCD;
};

/** Without root: the same Debian package, downloaded and unpacked under .homeostat/etcd. */
const unpackDebian = async (): Promise<string> => {
  const target = join(PROJECT_STATE_DIR, 'etcd');
  progress(`etcd: downloading the Debian package etcd-server and unpacking it into ${target} (no root needed)`);
  const scratch = await mkdtemp(join(tmpdir(), 'homeostat-etcd-deb-'));
  try {
    await runStep('apt-get', ['download', '-q', 'etcd-server'], { cwd: scratch });
    const deb = (await readdir(scratch)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new MissingBinaryError('etcd', `apt-get download left no .deb in ${scratch}. ${HOW_TO}`);
    await runStep('dpkg-deb', ['-x', join(scratch, deb), target]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return USER_SPACE_ETCD;
};

/** Installs etcd if none is found (the caller holds the provisioning lock) and returns its path. */
export const provisionEtcd = async (): Promise<string> => {
  const existing = findEtcd();
  if (existing) return existing;
  if (!onPath('apt-get') || !onPath('dpkg-deb')) throw new MissingBinaryError('etcd', HOW_TO);
  const installed = await (isRoot() ? installWithApt() : unpackDebian()).catch((error: unknown) => {
    throw new MissingBinaryError('etcd', `Installing it failed: ${(error as Error).message}. ${HOW_TO}`);
  });
  if (!isExecutable(installed)) throw new MissingBinaryError('etcd', `The install left no ${installed}. ${HOW_TO}`);
  progress(`etcd: ready at ${installed}`);
  return installed;
};

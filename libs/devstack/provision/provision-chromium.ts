import { existsSync } from 'node:fs';
import { MissingBinaryError, onPath } from '../binaries.js';
import { aptInstall, isRoot, progress } from './run-step.js';

/** Debian's chromium package: the real binary behind its /usr/bin/chromium wrapper script. */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

const HOW_TO = 'Install it with `sudo apt-get install chromium` (Debian), or set HOMEOSTAT_CHROMIUM_BIN=/path/to/chromium.';

export const findChromium = (): string | undefined => [process.env.HOMEOSTAT_CHROMIUM_BIN, ...CANDIDATES].find((path): path is string => !!path && existsSync(path));

/**
 * A headless Chromium for the fleet page's browser test, installed on first use as root (the
 * Debian package; it needs system libraries, so unlike etcd it is not unpacked without root).
 */
export const provisionChromium = async (): Promise<string> => {
  const existing = findChromium();
  if (existing) return existing;
  if (!isRoot() || !onPath('apt-get')) throw new MissingBinaryError('chromium', HOW_TO);
  await aptInstall('chromium').catch((error: unknown) => {
    throw new MissingBinaryError('chromium', `Installing it failed: ${(error as Error).message}. ${HOW_TO}`);
  });
  const installed = findChromium();
  if (!installed) throw new MissingBinaryError('chromium', `The install left none of ${CANDIDATES.join(', ')}. ${HOW_TO}`);
  progress(`chromium: ready at ${installed}`);
  return installed;
};

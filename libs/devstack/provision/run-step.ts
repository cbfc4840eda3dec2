import { spawn } from 'node:child_process';

export class ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionError';
  }
}

/** Runs one provisioning command, its output passed through to stderr as progress. */
export const runStep = (command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', (error) => reject(new ProvisionError(`${command}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new ProvisionError(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`})`)),
    );
  });

export const progress = (message: string): void => {
  process.stderr.write(`[homeostat setup] ${message}\n`);
};

export const isRoot = (): boolean => process.getuid?.() === 0;

/** As root: a Debian package, system-wide; the package lists are refreshed once if the first try fails. */
export const aptInstall = async (pkg: string): Promise<void> => {
  progress(`${pkg}: installing the Debian package ${pkg} (apt-get)`);
  await runStep('apt-get', ['install', '-y', '-q', pkg]).catch(async () => {
    await runStep('apt-get', ['update', '-q']);
    await runStep('apt-get', ['install', '-y', '-q', pkg]);
  });
};

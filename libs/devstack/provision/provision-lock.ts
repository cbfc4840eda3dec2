import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (path: string): number | undefined => {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Runs `work` holding an exclusive lock file, so processes provisioning at the
 * same time (parallel test suites, a demo beside a test run) install once and
 * the others wait. A lock left by a process that died is taken over.
 */
export const withProvisionLock = async <T>(path: string, onWait: () => void, work: () => Promise<T>): Promise<T> => {
  mkdirSync(dirname(path), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(path);
      if (holder !== undefined && !isAlive(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      if (!announced) onWait();
      announced = true;
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
};

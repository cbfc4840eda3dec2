import { afterAll, beforeAll } from '@jest/globals';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Suites that carry hundreds or thousands of live sessions take turns, across jest's workers and
 * any other run on the machine: two of them side by side on two cores starved each other's
 * processes (CI, stop 22: rolling-restart's 2 000 sessions beside incident's 500 — one timed out,
 * the other's clients heard nothing for 5 s and left their gateway). Lighter suites still run beside
 * them. Call it at the top level of the test file, outside `describe`, so the turn is taken before
 * the suite starts anything and given back only after it has stopped everything.
 */
export const takesTurnsWithHeavySuites = (): void => {
  let turn: HeavyTurn | undefined;
  beforeAll(async () => {
    turn = await HeavyTurn.take();
  }, 45 * 60_000);
  afterAll(() => turn?.giveBack());
};

const LOCK = join(tmpdir(), 'homeostat-heavy-suite.lock');
const POLL_MS = 250;

/** A directory lock (mkdir is atomic) holding its owner's pid, so a killed owner's turn is taken back. */
class HeavyTurn {
  private constructor() {}

  static async take(): Promise<HeavyTurn> {
    for (;;) {
      try {
        await mkdir(LOCK);
        await writeFile(join(LOCK, 'pid'), String(process.pid));
        return new HeavyTurn();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (await ownerIsGone()) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async giveBack(): Promise<void> {
    await rm(LOCK, { recursive: true, force: true });
  }
}

const ownerIsGone = async (): Promise<boolean> => {
  const pid = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
  // No pid yet: its owner is between mkdir and writeFile (or died there; a minute tells).
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? 0) > 60_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

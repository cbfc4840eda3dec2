import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SupervisedProcess } from './supervised-process.js';

/** Project root: where `dist/` is. */
const ROOT = resolve(process.env.HOMEOSTAT_ROOT ?? '.');

/**
 * HOMEOSTAT_APP_NODE_ARGS: extra node flags for every app started here, space-separated — e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a detector under a bench (node refuses
 * `--cpu-prof` in NODE_OPTIONS, so it has to be passed on the command line).
 */
const extraNodeArgs = (): string[] => (process.env.HOMEOSTAT_APP_NODE_ARGS ?? '').split(' ').filter((arg) => arg.length > 0);

export interface ReadyLine {
  readonly event: 'ready';
  readonly [field: string]: unknown;
}

const readyLine = (line: string): ReadyLine | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { event?: unknown };
    return parsed.event === 'ready' ? (parsed as ReadyLine) : undefined;
  } catch {
    return undefined;
  }
};

export interface HomeostatProcess {
  readonly process: SupervisedProcess;
  readonly ready: ReadyLine;
}

/**
 * Starts one of Homeostat's own apps (`gateway`, `worker`, `api`, …) from the
 * build, and waits for the `ready` line it logs.
 */
export const startApp = async (
  app: string,
  {
    name,
    env,
    logDir,
    readyTimeoutMs = 60_000,
    onLine,
  }: {
    name: string;
    env: Record<string, string>;
    logDir?: string;
    readyTimeoutMs?: number;
    /** Every output line from the very first (what is printed before the ready line included). */
    onLine?: (line: string) => void;
  },
): Promise<HomeostatProcess> => {
  const entry = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first`);
  const child = SupervisedProcess.start({
    name,
    command: process.execPath,
    args: ['--enable-source-maps', ...extraNodeArgs(), entry],
    // JSON lines always: the ready line is read from them, and the log files stay machine-readable.
    // Ops listeners (worker, detector) on free ports: several stacks may run side by side.
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', LOG_PRETTY: '0', METRICS_PORT: '0', ...env },
    cwd: ROOT,
    logFile: logDir ? join(logDir, `${name.replace(/\s+/g, '-')}.log`) : undefined,
  });
  if (onLine) child.onOutputLine(onLine);
  try {
    return { process: child, ready: await child.waitForLine(readyLine, readyTimeoutMs) };
  } catch (error) {
    await child.stop();
    throw error;
  }
};

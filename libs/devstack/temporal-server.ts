import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalBinary } from './provision/provision.js';
import { freePort } from './free-port.js';
import { SupervisedProcess } from './supervised-process.js';
import { waitUntil } from './wait-until.js';

export interface TemporalServer {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl: string;
  /** The SQLite file holding all state: restarting on it keeps every run. */
  readonly dbFile: string;
  /**
   * Stops the server. A SQLite file it chose itself (no `dbFile` option) goes with its temp
   * dir, unless `keepState`: then `restart()` brings the server back with every run.
   */
  stop(options?: { readonly keepState?: boolean }): Promise<void>;
  /** Stops and starts the server again on the same ports and SQLite file. */
  restart(): Promise<void>;
}

export interface TemporalServerOptions {
  readonly dbFile?: string;
  readonly logDir?: string;
  readonly namespace?: string;
}

/** A Temporal dev server (with its Web UI) on free ports, its state in a SQLite file. */
export const startTemporal = async (options: TemporalServerOptions = {}): Promise<TemporalServer> => {
  const namespace = options.namespace ?? 'default';
  const { dbFile, ownDir } = await stateLocation(options.dbFile);
  const [port, uiPort, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--http-port', String(httpPort),
    '--metrics-port', String(metricsPort),
    '--db-filename', dbFile,
    '--namespace', namespace,
    '--ui-disable-news-fetch',
    '--log-level', 'error',
    '--disable-config-env', '--disable-config-file',
    // The timer queue's default 1 s time shift makes every durable timer fire up to a second
    // late (a 150 ms sleep measured 1 020–1 090 ms); with 1 ms it measured 200–350 ms on a busy
    // 2-core machine. A production cluster's operators set their own dynamic config.
    '--dynamic-config-value', 'history.timerProcessorMaxTimeShift="1ms"',
  ];
  const launch = async (): Promise<SupervisedProcess> => {
    const server = SupervisedProcess.start({
      name: 'temporal dev server',
      command: await temporalBinary(),
      args,
      logFile: options.logDir ? join(options.logDir, 'temporal.log') : undefined,
    });
    try {
      await waitForFrontend(address, namespace, server);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  };
  const removeOwnDir = async (): Promise<void> => {
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
  };
  let current = await launch().catch(async (error: unknown) => {
    await removeOwnDir();
    throw error;
  });
  let removed = false;
  return {
    address,
    namespace,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    dbFile,
    stop: async ({ keepState = false } = {}) => {
      await current.stop();
      if (keepState || !ownDir) return;
      removed = true;
      await removeOwnDir();
    },
    restart: async () => {
      if (removed) throw new Error(`Temporal dev server at ${address}: stopped for good, its state (${dbFile}) is removed; stop it with keepState to restart it`);
      await current.stop();
      current = await launch();
    },
  };
};

/**
 * The caller's SQLite file (e.g. the demo's, kept across runs), else one in a temp dir of the
 * server's own, removed when it stops: a test run starts dozens of servers.
 */
const stateLocation = async (dbFile: string | undefined): Promise<{ dbFile: string; ownDir?: string }> => {
  if (dbFile) return { dbFile };
  const ownDir = await mkdtemp(join(tmpdir(), 'homeostat-temporal-'));
  return { dbFile: join(ownDir, 'temporal.sqlite'), ownDir };
};

/** Ready means the frontend answers and the namespace exists, not just that the port is open. */
const waitForFrontend = async (address: string, namespace: string, process: SupervisedProcess): Promise<void> => {
  await waitUntil(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: 60_000, intervalMs: 200, giveUp: process.deathNotice },
  );
};

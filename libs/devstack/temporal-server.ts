import { mkdtemp } from 'node:fs/promises';
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
  stop(): Promise<void>;
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
  const dbFile = options.dbFile ?? join(await mkdtemp(join(tmpdir(), 'homeostat-temporal-')), 'temporal.sqlite');
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
  let current = await launch();
  return {
    address,
    namespace,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    dbFile,
    stop: () => current.stop(),
    restart: async () => {
      await current.stop();
      current = await launch();
    },
  };
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

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdBinary } from './provision/provision.js';
import { freePort } from './free-port.js';
import { SupervisedProcess } from './supervised-process.js';
import { waitUntil } from './wait-until.js';

export interface EtcdServer {
  readonly endpoints: string[];
  stop(): Promise<void>;
}

/**
 * A single-node etcd on free ports in a temp dir. Short heartbeat and election
 * timeouts bring the lease floor down to ~1 s, so lease expiry (the backstop
 * signal) is quick enough for tests and the demo.
 */
export const startEtcd = async ({ logDir }: { logDir?: string } = {}): Promise<EtcdServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'homeostat-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const server = SupervisedProcess.start({
    name: 'etcd',
    command: await etcdBinary(),
    args: [
      '--name', 'homeostat',
      '--data-dir', dataDir,
      '--listen-client-urls', clientUrl,
      '--advertise-client-urls', clientUrl,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `homeostat=${peerUrl}`,
      '--heartbeat-interval', '50',
      '--election-timeout', '500',
      '--log-level', 'warn',
      '--logger', 'zap',
    ],
    logFile: logDir ? join(logDir, 'etcd.log') : undefined,
  });
  // etcd's /health answers {"health":"true"} once the member has a leader.
  await waitForHealth(clientUrl, server).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { endpoints: [clientUrl], stop: () => server.stop() };
};

const waitForHealth = (clientUrl: string, process: SupervisedProcess): Promise<boolean> =>
  waitUntil(
    'etcd /health',
    async () => {
      const response = await fetch(`${clientUrl}/health`);
      return response.ok && ((await response.json()) as { health?: string }).health === 'true';
    },
    { giveUp: process.deathNotice },
  );

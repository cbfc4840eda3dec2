import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdBinary } from './provision/provision.js';
import { freePort } from './free-port.js';
import { SupervisedProcess } from './supervised-process.js';
import { type TestCertificates, generateTestCertificates } from './test-certificates.js';
import { waitUntil } from './wait-until.js';

/** The files a client needs for an etcd with TLS and client-certificate auth (ETCD_CA_FILE, ETCD_CERT_FILE, ETCD_KEY_FILE). */
export interface EtcdClientTlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface EtcdServer {
  readonly endpoints: string[];
  /** Present when the server speaks TLS and demands a client certificate. */
  readonly tls?: EtcdClientTlsFiles;
  /** Freezes the process (SIGSTOP): sockets stay open, nothing is answered, leases stop being renewed. */
  pause(): void;
  /** Thaws a paused etcd (SIGCONT). */
  resume(): void;
  /** Kills etcd (SIGKILL) and starts it again on the same ports and data dir; resolves when it is healthy again. */
  restart(options?: { downForMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export interface EtcdServerOptions {
  readonly logDir?: string;
  /** Serve clients over TLS only, with client-certificate auth, from certificates generated for this server. */
  readonly tls?: boolean;
}

/** The server's TLS flags: its certificate, and only clients with a certificate from the same CA. */
const tlsFlags = (certs: TestCertificates): string[] => [
  '--cert-file', certs.serverCertFile,
  '--key-file', certs.serverKeyFile,
  '--trusted-ca-file', certs.caFile,
  '--client-cert-auth',
];

interface MemberUrls {
  readonly name: string;
  readonly dataDir: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly metricsUrl: string;
  /** `name=peerUrl,…` of every member. */
  readonly initialCluster: string;
}

/** One member's flags. Short heartbeat and election timeouts bring the lease floor down to ~1 s. */
const memberArgs = ({ name, dataDir, clientUrl, peerUrl, metricsUrl, initialCluster }: MemberUrls): string[] => [
  '--name', name,
  '--data-dir', dataDir,
  '--listen-client-urls', clientUrl,
  '--advertise-client-urls', clientUrl,
  '--listen-peer-urls', peerUrl,
  '--initial-advertise-peer-urls', peerUrl,
  '--initial-cluster', initialCluster,
  '--initial-cluster-token', 'homeostat',
  '--heartbeat-interval', '50',
  '--election-timeout', '500',
  '--listen-metrics-urls', metricsUrl,
  '--log-level', 'warn',
  '--logger', 'zap',
];

/**
 * A single-node etcd on free ports in a temp dir. Short heartbeat and election
 * timeouts bring the lease floor down to ~1 s, so lease expiry (the backstop
 * signal) is quick enough for tests and the demo. With `tls`, clients must speak
 * TLS and present a client certificate, as in a production cluster; health is then
 * read from a separate plain metrics listener on loopback.
 */
export const startEtcd = async ({ logDir, tls = false }: EtcdServerOptions = {}): Promise<EtcdServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'homeostat-etcd-'));
  const [clientPort, peerPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const certs = tls ? await generateTestCertificates() : undefined;
  const clientUrl = `${certs ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  const launch = async (): Promise<SupervisedProcess> => {
    const server = SupervisedProcess.start({
      name: 'etcd',
      command: await etcdBinary(),
      args: [...memberArgs({ name: 'homeostat', dataDir, clientUrl, peerUrl, metricsUrl, initialCluster: `homeostat=${peerUrl}` }), ...(certs ? tlsFlags(certs) : [])],
      logFile: logDir ? join(logDir, 'etcd.log') : undefined,
    });
    // etcd's /health answers {"health":"true"} once the member has a leader.
    await waitForHealth(metricsUrl, server).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return server;
  };
  let server = await launch();
  const signal = (name: NodeJS.Signals): void => {
    if (server.pid !== undefined && server.running) process.kill(server.pid, name);
  };
  const clientTls = certs ? { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } : undefined;
  return {
    endpoints: [clientUrl],
    ...(clientTls ? { tls: clientTls } : {}),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    restart: async ({ downForMs = 0 } = {}) => {
      server.killNow();
      await server.exited;
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      server = await launch();
    },
    stop: async () => {
      // A frozen process ignores SIGTERM until it is thawed.
      signal('SIGCONT');
      await server.stop();
      // Each data dir holds a 62 MB preallocated WAL: a test run starts hundreds of these.
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

const waitForHealth = (metricsUrl: string, process: SupervisedProcess): Promise<boolean> =>
  waitUntil(
    'etcd /health',
    async () => {
      const response = await fetch(`${metricsUrl}/health`);
      return response.ok && ((await response.json()) as { health?: string }).health === 'true';
    },
    { giveUp: process.deathNotice },
  );

/** A cluster of etcd members on loopback, for tests that take its leader away. */
export interface EtcdCluster {
  /** Every member's client URL (ETCD_ENDPOINTS lists them all). */
  readonly endpoints: string[];
  readonly members: readonly string[];
  /** The member leading now (each member's `etcd_server_is_leader` metric), once one is elected. */
  leader(): Promise<string>;
  /** SIGKILLs a member; resolves once its process is gone. */
  kill(name: string): Promise<void>;
  /** Starts a killed member again on its data dir and ports; resolves when it is healthy. */
  start(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** `size` members on free ports in temp dirs, started together (they elect a leader among themselves). */
export const startEtcdCluster = async ({ size = 3, logDir }: { readonly size?: number; readonly logDir?: string } = {}): Promise<EtcdCluster> => {
  const urls: MemberUrls[] = [];
  for (let i = 1; i <= size; i++) {
    const [clientPort, peerPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    urls.push({
      name: `etcd-${i}`,
      dataDir: await mkdtemp(join(tmpdir(), 'homeostat-etcd-')),
      clientUrl: `http://127.0.0.1:${clientPort}`,
      peerUrl: `http://127.0.0.1:${peerPort}`,
      metricsUrl: `http://127.0.0.1:${metricsPort}`,
      initialCluster: '',
    });
  }
  const initialCluster = urls.map((u) => `${u.name}=${u.peerUrl}`).join(',');
  const members = new Map(urls.map((u) => [u.name, { ...u, initialCluster }]));
  const processes = new Map<string, SupervisedProcess>();
  const launch = async (name: string): Promise<void> => {
    const member = members.get(name);
    if (!member) throw new Error(`no etcd member ${name}`);
    const server = SupervisedProcess.start({ name, command: await etcdBinary(), args: memberArgs(member), logFile: logDir ? join(logDir, `${name}.log`) : undefined });
    processes.set(name, server);
    await waitForHealth(member.metricsUrl, server);
  };
  const stop = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await Promise.all(urls.map((u) => rm(u.dataDir, { recursive: true, force: true })));
  };
  try {
    await Promise.all(urls.map((u) => launch(u.name)));
  } catch (error) {
    await stop();
    throw error;
  }
  const isLeader = async (metricsUrl: string): Promise<boolean> => {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    return /^etcd_server_is_leader 1$/m.test(text);
  };
  return {
    endpoints: urls.map((u) => u.clientUrl),
    members: urls.map((u) => u.name),
    leader: () =>
      waitUntil('an etcd leader', async () => {
        for (const u of urls) if (processes.get(u.name)?.running && (await isLeader(u.metricsUrl).catch(() => false))) return u.name;
        return undefined;
      }),
    kill: async (name) => {
      const server = processes.get(name);
      if (!server) throw new Error(`no etcd member ${name}`);
      server.killNow();
      await server.exited;
    },
    start: launch,
    stop,
  };
};

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type EtcdServer, startEtcd } from './etcd-server.js';
import { freePort } from './free-port.js';
import { kubeBinaries } from './kube-binaries.js';
import { SupervisedProcess } from './supervised-process.js';
import { waitUntil } from './wait-until.js';

const run = promisify(execFile);

export interface KubeCluster {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** PEM of the CA that signed the API server's certificate. */
  readonly caData: string;
  /** A bearer token in group system:masters (tests and Homeostat's own processes here). */
  readonly token: string;
  /** A kubeconfig file for the same credentials (KUBECONFIG for spawned processes, kubectl). */
  readonly kubeconfigFile: string;
  readonly apiserver: SupervisedProcess;
  readonly controllerManager: SupervisedProcess;
  stop(): Promise<void>;
}

export interface KubeClusterOptions {
  readonly logDir?: string;
  /** How long a node may stop renewing its Lease before it turns Ready=Unknown (default 4 s). */
  readonly nodeMonitorGracePeriodSeconds?: number;
}

/** A CA, a serving certificate for 127.0.0.1 and the service-account key pair, with openssl. */
const makeCertificates = async (dir: string): Promise<void> => {
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=homeostat-test-ca');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
  await ssl('genrsa', '-out', 'sa.key', '2048');
  await ssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
};

const kubeconfig = (server: string, caFile: string, token: string): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: homeostat-test`,
    `  cluster: {server: "${server}", certificate-authority: "${caFile}"}`,
    'users:',
    `- name: homeostat-admin`,
    `  user: {token: "${token}"}`,
    'contexts:',
    '- name: homeostat-test',
    '  context: {cluster: homeostat-test, user: homeostat-admin}',
    'current-context: homeostat-test',
    '',
  ].join('\n');

const getReadyz = (server: string, ca: string, token: string): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const req = request(`${server}/readyz`, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('readyz timed out')));
    req.end();
  });

/**
 * A real Kubernetes control plane for tests: its own etcd, kube-apiserver (RBAC, a
 * static token for tests) and kube-controller-manager with the EndpointSlice and node
 * lifecycle controllers, all on free ports in a temp dir. There is no kubelet and no
 * scheduler: tests place pods on nodes themselves and play the kubelet
 * (libs/devstack/local-kubelet.ts).
 */
export const startKubeCluster = async (options: KubeClusterOptions = {}): Promise<KubeCluster> => {
  const bins = kubeBinaries();
  const dir = await mkdtemp(join(tmpdir(), 'homeostat-kube-'));
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    await makeCertificates(dir);
    const token = randomBytes(24).toString('hex');
    await writeFile(join(dir, 'tokens.csv'), `${token},homeostat-admin,homeostat-admin,"system:masters"\n`);
    const etcd: EtcdServer = await startEtcd({ logDir: options.logDir });
    started.push(etcd);
    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const logFile = (name: string) => (options.logDir ? join(options.logDir, `${name}.log`) : undefined);
    const apiserver = SupervisedProcess.start({
      name: 'kube-apiserver',
      command: bins.apiserver,
      args: [
        `--etcd-servers=${etcd.endpoints.join(',')}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        '--advertise-address=127.0.0.1',
        `--cert-dir=${dir}`,
        `--tls-cert-file=${join(dir, 'server.crt')}`,
        `--tls-private-key-file=${join(dir, 'server.key')}`,
        `--client-ca-file=${join(dir, 'ca.crt')}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--disable-admission-plugins=ServiceAccount',
        '--endpoint-reconciler-type=none',
      ],
      logFile: logFile('kube-apiserver'),
    });
    started.push(apiserver);
    const caData = await readFile(join(dir, 'ca.crt'), 'utf8');
    await waitUntil('kube-apiserver /readyz', () => getReadyz(server, caData, token), { timeoutMs: 60_000, intervalMs: 250, giveUp: apiserver.deathNotice });
    const kubeconfigFile = join(dir, 'kubeconfig.yaml');
    await writeFile(kubeconfigFile, kubeconfig(server, join(dir, 'ca.crt'), token));
    const grace = options.nodeMonitorGracePeriodSeconds ?? 4;
    const controllerManager = SupervisedProcess.start({
      name: 'kube-controller-manager',
      command: bins.controllerManager,
      args: [
        `--kubeconfig=${kubeconfigFile}`,
        `--authentication-kubeconfig=${kubeconfigFile}`,
        `--authorization-kubeconfig=${kubeconfigFile}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        `--cert-dir=${dir}`,
        '--leader-elect=false',
        '--controllers=endpointslice,nodelifecycle',
        '--node-monitor-period=1s',
        `--node-monitor-grace-period=${grace}s`,
        '--node-startup-grace-period=10s',
      ],
      logFile: logFile('kube-controller-manager'),
    });
    started.push(controllerManager);
    return { server, caData, token, kubeconfigFile, apiserver, controllerManager, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

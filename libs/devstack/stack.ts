import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { type Etcd3 } from 'etcd3';
import { parseSettings } from '#core';
import { type EtcdClientOptions, connectEtcd } from '#etcd';
import { TemporalSettingsSchema, type TemporalConnectionOptions, registerSearchAttributes, temporalConnectionOptions } from '#temporal';
import { type EtcdClientTlsFiles, type EtcdCluster, type EtcdServer, startEtcd, startEtcdCluster } from './etcd-server.js';
import { type TemporalServer, startTemporal } from './temporal-server.js';

export interface Stack {
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    readonly uiUrl: string;
    /** For `Connection.connect`: the address, and TLS or an API key when an existing Temporal needs them. */
    readonly connection: TemporalConnectionOptions;
  };
  readonly etcd: { readonly endpoints: readonly string[]; readonly tls?: EtcdClientTlsFiles };
  /** A client of this stack's etcd (with its TLS credentials, if it has any). */
  connectEtcd(options?: Omit<EtcdClientOptions, 'tls'>): Etcd3;
  /** Signs control requests between this stack's processes (CONTROL_SECRET; also in `env`). */
  readonly controlSecret: string;
  /** The embedded Temporal server, when this stack started one (absent with TEMPORAL_ADDRESS). */
  readonly temporalServer: TemporalServer | undefined;
  /** The embedded etcd, when this stack started one (absent with ETCD_ENDPOINTS): tests pause and restart it. */
  readonly etcdServer: EtcdServer | undefined;
  /** The embedded etcd cluster, when `etcdMembers` asked for one: tests kill its leader. */
  readonly etcdCluster?: EtcdCluster;
  /** Environment for Homeostat processes that should use this stack. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly logDir?: string;
  /** Use TEMPORAL_ADDRESS / ETCD_ENDPOINTS when set instead of starting our own (default true). */
  readonly useExisting?: boolean;
  readonly temporalDbFile?: string;
  /** Start the embedded etcd with TLS and client-certificate auth (certificates generated for it). */
  readonly etcdTls?: boolean;
  /** Embed a cluster of this many etcd members instead of one (no TLS). */
  readonly etcdMembers?: number;
}

/** etcd's TLS files from the environment, for an existing etcd that needs them. */
const existingEtcdTls = (): EtcdClientTlsFiles | undefined => {
  const { ETCD_CA_FILE: caFile, ETCD_CERT_FILE: certFile, ETCD_KEY_FILE: keyFile } = process.env;
  return caFile && certFile && keyFile ? { caFile, certFile, keyFile } : undefined;
};

const etcdTlsEnv = (tls: EtcdClientTlsFiles | undefined): Record<string, string> =>
  tls ? { ETCD_CA_FILE: tls.caFile, ETCD_CERT_FILE: tls.certFile, ETCD_KEY_FILE: tls.keyFile } : {};

/**
 * Temporal and etcd, ready to use: the ones named by TEMPORAL_ADDRESS and
 * ETCD_ENDPOINTS, or embedded ones started on free ports in temp dirs.
 */
export const startStack = async (options: StackOptions = {}): Promise<Stack> => {
  const useExisting = options.useExisting ?? true;
  const existingTemporal = useExisting ? process.env.TEMPORAL_ADDRESS : undefined;
  const existingEtcd = useExisting ? process.env.ETCD_ENDPOINTS : undefined;
  const started: { stop(): Promise<void> }[] = [];
  try {
    let temporalServer: TemporalServer | undefined;
    const temporal = existingTemporal
      ? {
          address: existingTemporal,
          namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
          uiUrl: process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233',
        }
      : (temporalServer = await startTemporal({ logDir: options.logDir, dbFile: options.temporalDbFile }));
    if (temporalServer) started.push(temporalServer);
    let etcdServer: EtcdServer | undefined;
    let etcdCluster: EtcdCluster | undefined;
    const embedEtcd = async (): Promise<{ endpoints: string[]; tls?: EtcdClientTlsFiles }> => {
      if ((options.etcdMembers ?? 1) > 1) return (etcdCluster = await startEtcdCluster({ size: options.etcdMembers, logDir: options.logDir }));
      return (etcdServer = await startEtcd({ logDir: options.logDir, tls: options.etcdTls }));
    };
    const etcd = existingEtcd ? { endpoints: existingEtcd.split(','), tls: existingEtcdTls() } : await embedEtcd();
    for (const server of [etcdServer, etcdCluster]) if (server) started.push(server);
    // An existing Temporal is reached the way the processes reach it: with its TLS and API key settings.
    const temporalConnection = existingTemporal ? temporalConnectionOptions(parseSettings(TemporalSettingsSchema, process.env)) : { address: temporal.address };
    const connection = await Connection.connect(temporalConnection);
    await registerSearchAttributes(connection, temporal.namespace).finally(() => connection.close());
    // One per installation: the control plane's key to its gateways (an existing stack may bring its own).
    const controlSecret = (useExisting ? process.env.CONTROL_SECRET : undefined) ?? randomBytes(32).toString('base64url');
    return {
      temporal: { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl, connection: temporalConnection },
      controlSecret,
      etcd: { endpoints: etcd.endpoints, ...(etcd.tls ? { tls: etcd.tls } : {}) },
      connectEtcd: (etcdOptions = {}) => connectEtcd(etcd.endpoints, { ...etcdOptions, tls: etcd.tls ? readTls(etcd.tls) : undefined }),
      temporalServer,
      etcdServer,
      ...(etcdCluster ? { etcdCluster } : {}),
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_UI_URL: temporal.uiUrl,
        ETCD_ENDPOINTS: etcd.endpoints.join(','),
        ...etcdTlsEnv(etcd.tls),
        CONTROL_SECRET: controlSecret,
      },
      stop: async () => {
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
};

const readTls = (files: EtcdClientTlsFiles): { rootCertificate: Buffer; certChain: Buffer; privateKey: Buffer } => ({
  rootCertificate: readFileSync(files.caFile),
  certChain: readFileSync(files.certFile),
  privateKey: readFileSync(files.keyFile),
});

import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { registerSearchAttributes } from '#temporal';
import { type EtcdServer, startEtcd } from './etcd-server.js';
import { type TemporalServer, startTemporal } from './temporal-server.js';

export interface Stack {
  readonly temporal: { readonly address: string; readonly namespace: string; readonly uiUrl: string };
  readonly etcd: { readonly endpoints: readonly string[] };
  /** Signs control requests between this stack's processes (CONTROL_SECRET; also in `env`). */
  readonly controlSecret: string;
  /** The embedded Temporal server, when this stack started one (absent with TEMPORAL_ADDRESS). */
  readonly temporalServer: TemporalServer | undefined;
  /** Environment for Homeostat processes that should use this stack. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly logDir?: string;
  /** Use TEMPORAL_ADDRESS / ETCD_ENDPOINTS when set instead of starting our own (default true). */
  readonly useExisting?: boolean;
  readonly temporalDbFile?: string;
}

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
    const etcd = existingEtcd ? { endpoints: existingEtcd.split(',') } : (etcdServer = await startEtcd({ logDir: options.logDir }));
    if (etcdServer) started.push(etcdServer);
    const connection = await Connection.connect({ address: temporal.address });
    await registerSearchAttributes(connection, temporal.namespace).finally(() => connection.close());
    // One per installation: the control plane's key to its gateways (an existing stack may bring its own).
    const controlSecret = (useExisting ? process.env.CONTROL_SECRET : undefined) ?? randomBytes(32).toString('base64url');
    return {
      temporal: { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl },
      controlSecret,
      etcd: { endpoints: etcd.endpoints },
      temporalServer,
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_UI_URL: temporal.uiUrl,
        ETCD_ENDPOINTS: etcd.endpoints.join(','),
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

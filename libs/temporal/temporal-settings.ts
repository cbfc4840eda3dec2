import { z } from 'zod';
import { InvalidSettingsError } from '#core';
import { readSettingFile, readableFile } from '#runtime';

/**
 * Where Temporal is and how to prove who we are to it; shared by every process that
 * talks to it. Plaintext by default (the embedded dev server on loopback); a
 * production cluster takes TLS (CA, and a client certificate for mTLS) or an API key.
 */
export const TemporalSettingsSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:/]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Base of the Temporal Web UI, for run links in API answers and logs. */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),
  /** `on` connects with TLS using the system's CAs; any of the files below (or an API key) turns it on as well. */
  TEMPORAL_TLS: z.enum(['on', 'off']).default('off'),
  /** The CA of the Temporal frontend's certificate (PEM), when it is not one the system trusts. */
  TEMPORAL_TLS_CA_FILE: readableFile.optional(),
  /** Client certificate and key (PEM) for mutual TLS. */
  TEMPORAL_TLS_CERT_FILE: readableFile.optional(),
  TEMPORAL_TLS_KEY_FILE: readableFile.optional(),
  /** The name to check the server certificate against, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** An API key (e.g. Temporal Cloud), sent as a bearer token over TLS. Never logged. */
  TEMPORAL_API_KEY: z.string().min(1).max(8_192).optional(),
});

export type TemporalSettings = z.infer<typeof TemporalSettingsSchema>;

/** What `Connection.connect` and `NativeConnection.connect` both take. */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: {
    readonly serverRootCACertificate?: Buffer;
    readonly clientCertPair?: { readonly crt: Buffer; readonly key: Buffer };
    readonly serverNameOverride?: string;
  };
  readonly apiKey?: string;
}

/** Connection options from the settings, reading the TLS files; a half-configured client certificate names what is missing. */
export const temporalConnectionOptions = (settings: TemporalSettings): TemporalConnectionOptions => {
  const { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: serverName, TEMPORAL_API_KEY: apiKey } = settings;
  if ((cert === undefined) !== (key === undefined)) {
    const [missing, given] = cert === undefined ? ['TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE'] : ['TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_CERT_FILE'];
    throw new InvalidSettingsError([`${missing}: must be set together with ${given}`]);
  }
  const tlsOn = settings.TEMPORAL_TLS === 'on' || ca !== undefined || cert !== undefined || serverName !== undefined || apiKey !== undefined;
  if (!tlsOn) return { address: settings.TEMPORAL_ADDRESS };
  return {
    address: settings.TEMPORAL_ADDRESS,
    tls: {
      ...(ca !== undefined ? { serverRootCACertificate: readSettingFile(ca) } : {}),
      ...(cert !== undefined && key !== undefined ? { clientCertPair: { crt: readSettingFile(cert), key: readSettingFile(key) } } : {}),
      ...(serverName !== undefined ? { serverNameOverride: serverName } : {}),
    },
    ...(apiKey !== undefined ? { apiKey } : {}),
  };
};

import { z } from 'zod';
import { InvalidSettingsError, urlList } from '#core';
import { readSettingFile, readableFile } from '#runtime';

/**
 * Where etcd is and how to prove who we are to it. Spread into each process's
 * settings schema. Plain `http://` endpoints need none of the files; a production
 * cluster with TLS and client-certificate auth needs all three.
 */
export const EtcdSettingsShape = {
  ETCD_ENDPOINTS: urlList,
  /** The CA that signed the etcd members' certificates (PEM). */
  ETCD_CA_FILE: readableFile.optional(),
  /** This process's client certificate (PEM), for etcd's --client-cert-auth. */
  ETCD_CERT_FILE: readableFile.optional(),
  /** The client certificate's private key (PEM). */
  ETCD_KEY_FILE: readableFile.optional(),
};

export type EtcdSettings = z.infer<z.ZodObject<typeof EtcdSettingsShape>>;

/** The credentials etcd3 takes (`Etcd3Options.credentials`). */
export interface EtcdTls {
  readonly rootCertificate: Buffer;
  readonly certChain?: Buffer;
  readonly privateKey?: Buffer;
}

/** Reads the TLS files named by the settings; a half-configured client certificate names what is missing. */
export const etcdTlsFrom = (settings: EtcdSettings): EtcdTls | undefined => {
  const { ETCD_CA_FILE: ca, ETCD_CERT_FILE: cert, ETCD_KEY_FILE: key } = settings;
  const problems: string[] = [];
  if ((cert === undefined) !== (key === undefined)) problems.push(`${cert === undefined ? 'ETCD_CERT_FILE' : 'ETCD_KEY_FILE'}: must be set together with ${cert === undefined ? 'ETCD_KEY_FILE' : 'ETCD_CERT_FILE'}`);
  if (ca === undefined && cert !== undefined) problems.push('ETCD_CA_FILE: must be set with a client certificate (the CA of the etcd members)');
  const tlsEndpoints = settings.ETCD_ENDPOINTS.filter((e) => e.startsWith('https://')).length;
  if (ca !== undefined && tlsEndpoints !== settings.ETCD_ENDPOINTS.length) problems.push('ETCD_ENDPOINTS: with ETCD_CA_FILE every endpoint must be https://');
  if (problems.length > 0) throw new InvalidSettingsError(problems);
  if (ca === undefined) return undefined;
  return {
    rootCertificate: readSettingFile(ca),
    ...(cert !== undefined && key !== undefined ? { certChain: readSettingFile(cert), privateKey: readSettingFile(key) } : {}),
  };
};

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseSettings } from '#core';
import { EtcdSettingsShape, etcdTlsFrom } from './etcd-settings.js';

const schema = z.object(EtcdSettingsShape);
const dir = mkdtempSync(join(tmpdir(), 'etcd-settings-'));
const pem = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe(etcdTlsFrom.name, () => {
  it('should use no TLS for plain http endpoints', () => {
    expect(etcdTlsFrom(parseSettings(schema, { ETCD_ENDPOINTS: 'http://127.0.0.1:2379' }))).toBeUndefined();
  });

  it('should read the CA, the client certificate and its key', () => {
    const settings = parseSettings(schema, { ETCD_ENDPOINTS: 'https://10.0.0.1:2379,https://10.0.0.2:2379', ETCD_CA_FILE: pem('ca', 'CA'), ETCD_CERT_FILE: pem('crt', 'CRT'), ETCD_KEY_FILE: pem('key', 'KEY') });
    const tls = etcdTlsFrom(settings);
    expect([tls?.rootCertificate.toString(), tls?.certChain?.toString(), tls?.privateKey?.toString()]).toEqual(['CA', 'CRT', 'KEY']);
  });

  it('should name what is missing or inconsistent', () => {
    const half = parseSettings(schema, { ETCD_ENDPOINTS: 'https://10.0.0.1:2379', ETCD_CA_FILE: pem('ca2', 'CA'), ETCD_CERT_FILE: pem('crt2', 'CRT') });
    expect(() => etcdTlsFrom(half)).toThrow(/ETCD_KEY_FILE: must be set together with ETCD_CERT_FILE/);
    const plain = parseSettings(schema, { ETCD_ENDPOINTS: 'http://10.0.0.1:2379', ETCD_CA_FILE: pem('ca3', 'CA') });
    expect(() => etcdTlsFrom(plain)).toThrow(/ETCD_ENDPOINTS: with ETCD_CA_FILE every endpoint must be https/);
    expect(() => parseSettings(schema, { ETCD_ENDPOINTS: 'https://x:1', ETCD_KEY_FILE: join(dir, 'nope') })).toThrow(/ETCD_KEY_FILE: must name a file this process can read \(got ".*nope"\)/);
  });
});

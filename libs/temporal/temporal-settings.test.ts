import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidSettingsError, parseSettings } from '#core';
import { TemporalSettingsSchema, temporalConnectionOptions } from './temporal-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'temporal-settings-'));
const pem = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe(temporalConnectionOptions.name, () => {
  it('should connect in plaintext by default (the embedded dev server on loopback)', () => {
    expect(temporalConnectionOptions(parseSettings(TemporalSettingsSchema, {}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('should read the CA and the client certificate pair for mutual TLS', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal.prod:7233', TEMPORAL_TLS_CA_FILE: pem('ca.pem', 'CA'), TEMPORAL_TLS_CERT_FILE: pem('c.pem', 'CRT'), TEMPORAL_TLS_KEY_FILE: pem('k.pem', 'KEY'), TEMPORAL_TLS_SERVER_NAME: 'frontend' };
    const options = temporalConnectionOptions(parseSettings(TemporalSettingsSchema, env));
    expect(options.address).toBe('temporal.prod:7233');
    expect(options.tls?.serverRootCACertificate?.toString()).toBe('CA');
    expect(options.tls?.clientCertPair?.crt.toString()).toBe('CRT');
    expect(options.tls?.clientCertPair?.key.toString()).toBe('KEY');
    expect(options.tls?.serverNameOverride).toBe('frontend');
  });

  it('should send an API key over TLS', () => {
    expect(temporalConnectionOptions(parseSettings(TemporalSettingsSchema, { TEMPORAL_API_KEY: 'k-123' }))).toEqual({ address: '127.0.0.1:7233', tls: {}, apiKey: 'k-123' });
  });

  it('should name a certificate without its key, and an unreadable file, without reading either', () => {
    expect(() => temporalConnectionOptions(parseSettings(TemporalSettingsSchema, { TEMPORAL_TLS_CERT_FILE: pem('alone.pem', 'CRT') }))).toThrow(
      new InvalidSettingsError(['TEMPORAL_TLS_KEY_FILE: must be set together with TEMPORAL_TLS_CERT_FILE']),
    );
    expect(() => parseSettings(TemporalSettingsSchema, { TEMPORAL_TLS_CA_FILE: join(dir, 'missing.pem') })).toThrow(/TEMPORAL_TLS_CA_FILE: must name a file this process can read/);
  });

  it('should never show the API key in a settings error', () => {
    expect(() => parseSettings(TemporalSettingsSchema, { TEMPORAL_API_KEY: 'x'.repeat(9_000), TEMPORAL_ADDRESS: 'nope' })).toThrow(/TEMPORAL_API_KEY: .*\(got 9000 characters, not shown\)/);
  });
});

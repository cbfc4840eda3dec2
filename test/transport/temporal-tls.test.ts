import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { parseSettings } from '#core';
import { Fleet, type RunningApi, type TestCertificates, type TlsProxy, generateTestCertificates, startTlsProxy, waitUntil } from '#devstack';
import { TemporalSettingsSchema, temporalConnectionOptions } from '#temporal';
import { call } from '../support/http.js';

describe('Temporal over mutual TLS', () => {
  let fleet: Fleet;
  let certs: TestCertificates;
  let proxy: TlsProxy;
  let api: RunningApi;
  let tlsEnv: Record<string, string>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: false, useExisting: false });
    certs = await generateTestCertificates();
    proxy = await startTlsProxy(fleet.stack.temporal.address, certs);
    tlsEnv = {
      TEMPORAL_ADDRESS: proxy.address,
      TEMPORAL_TLS_CA_FILE: certs.caFile,
      TEMPORAL_TLS_CERT_FILE: certs.clientCertFile,
      TEMPORAL_TLS_KEY_FILE: certs.clientKeyFile,
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    };
    // Every Temporal connection of these processes goes through the TLS front, or nowhere.
    await fleet.startWorker(tlsEnv);
    await fleet.startDetector('tls-detector', tlsEnv);
    api = await fleet.startApi(tlsEnv);
  });

  afterAll(async () => {
    await fleet?.stop();
    await proxy?.stop();
  });

  it('should refuse a client that has no client certificate', async () => {
    const { TEMPORAL_TLS_CERT_FILE: _cert, TEMPORAL_TLS_KEY_FILE: _key, ...withoutCert } = tlsEnv;
    const options = temporalConnectionOptions(parseSettings(TemporalSettingsSchema, withoutCert));
    await expect(Connection.connect({ ...options, connectTimeout: 2_000 }).then((c) => c.workflowService.getSystemInfo({}))).rejects.toThrow();
  });

  it('should run a remediation that the API started and the worker executed, both over mTLS', async () => {
    const started = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'temporal over mTLS', dryRun: true });
    expect(started.status).toBe(201);
    const run = await waitUntil('run completed', async () => {
      const { body } = await call(api, 'GET', '/v1/remediations/remediate:gw-1');
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(run.report).toMatchObject({ gatewayId: 'gw-1', reason: 'temporal over mTLS', outcome: 'dry-run' });
  });
});

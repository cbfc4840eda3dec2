import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { type PushClient } from '#client';
import { Fleet, type RunningApi, waitUntil } from '#devstack';
import { FleetRegistry, GatewayStateStore, connectEtcd } from '#etcd';
import { connectClients, totals } from '../support/clients.js';
import { call } from '../support/http.js';

/** Whether a client gets an answer from etcd within a few seconds (a refused TLS handshake never does). */
const answers = async (client: ReturnType<typeof connectEtcd>): Promise<boolean> => {
  try {
    await client.get('/homeostat/probe').string();
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
};

describe('etcd with TLS and client-certificate auth', () => {
  let fleet: Fleet;
  let api: RunningApi;
  let clients: PushClient[];

  beforeAll(async () => {
    fleet = await Fleet.start({ etcdTls: true, gateways: 3, worker: true, api: true, useExisting: false });
    api = fleet.api!;
    clients = await connectClients(10, fleet.gatewayAddresses, ['ticker'], 'tls-client');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await fleet?.stop();
  });

  it('should refuse a client without TLS, and one with TLS but no client certificate', async () => {
    const [endpoint] = fleet.stack.etcd.endpoints;
    expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const tls = fleet.stack.etcd.tls!;
    expect(await answers(connectEtcd([endpoint!.replace('https:', 'http:')], { callTimeoutMs: 2_000 }))).toBe(false);
    expect(await answers(connectEtcd([endpoint!], { callTimeoutMs: 2_000, tls: { rootCertificate: readFileSync(tls.caFile) } }))).toBe(false);
    expect(await answers(fleet.stack.connectEtcd({ callTimeoutMs: 2_000 }))).toBe(true);
  });

  it('should have the gateways registered through it, each with its own control listener', async () => {
    const etcd = fleet.stack.connectEtcd();
    try {
      const registered = await new FleetRegistry(etcd).list();
      expect(registered.map((g) => g.id).sort()).toEqual(['gw-1', 'gw-2', 'gw-3']);
      for (const g of registered) expect(new URL(g.controlUrl).port).not.toBe(new URL(g.address).port);
    } finally {
      etcd.close();
    }
  });

  it('should heal end to end: the API and the worker read and write fleet state over TLS', async () => {
    expect(clients.every((c) => c.gatewayId === 'gw-1')).toBe(true);
    const started = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'etcd over TLS' });
    expect(started.status).toBe(201);
    const run = await waitUntil('run completed', async () => {
      const { body } = await call(api, 'GET', '/v1/remediations/remediate:gw-1');
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(run.report).toMatchObject({ gatewayId: 'gw-1', outcome: 'healed', reason: 'etcd over TLS' });
    expect(run.report.migration).toMatchObject({ sessions: 10, moved: 10, remaining: 0, targets: ['gw-2', 'gw-3'] });

    const etcd = fleet.stack.connectEtcd();
    try {
      expect(await new GatewayStateStore(etcd).get('gw-1')).toMatchObject({ state: 'quarantined', by: 'remediate:gw-1' });
    } finally {
      etcd.close();
    }
    expect(clients.every((c) => c.gatewayId === 'gw-2' || c.gatewayId === 'gw-3')).toBe(true);
    const before = totals(clients).received;
    await waitUntil('messages flowing on gw-2 and gw-3', async () => totals(clients).received > before + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});

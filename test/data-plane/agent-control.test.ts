import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ControlApiError, MAX_CONTROL_CLOCK_SKEW_MS, signControlRequest } from '#agent';
import { ClientSwarm } from '#client';
import { CloseCode, GatewayVitalsSchema } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, connectEtcd, vitalsKey } from '#etcd';
import { caughtUp, control, seededOn, swarmOn, targets } from './support/fleet-helpers.js';
import { RawSession } from './support/raw-session.js';

type Answer = { status: number; error: string };

/** A raw control request, signed with `secret` unless `headers` says otherwise. */
const call = async (controlUrl: string, method: string, path: string, body: string, secret: string, headers?: Record<string, string>): Promise<Answer> => {
  const url = new URL(`${controlUrl}${path}`);
  const signed = headers ?? signControlRequest(secret, method, url, Buffer.from(body));
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...signed }, body: method === 'GET' ? undefined : body });
  return { status: response.status, error: ((await response.json()) as { error: string }).error };
};

describe('agent: control endpoints and vitals', () => {
  let fleet: Fleet;
  const swarms: ClientSwarm[] = [];
  const clientsOn = async (gatewayId: string, count: number): Promise<ClientSwarm> => {
    const swarm = new ClientSwarm({ prefix: `${gatewayId}-c`, count, gateways: seededOn(fleet, gatewayId), topics: ['ticker'] });
    swarms.push(swarm);
    await swarm.start();
    await swarmOn(swarm, gatewayId);
    return swarm;
  };

  const post = (controlUrl: string, path: string, body: string): Promise<Answer> => call(controlUrl, 'POST', path, body, fleet.stack.controlSecret);
  const get = (controlUrl: string, path: string): Promise<Answer> => call(controlUrl, 'GET', path, '', fleet.stack.controlSecret);

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: false, useExisting: false, messagesPerSecond: 20, gatewayEnv: { VITALS_INTERVAL_MS: '200' } });
  });

  afterAll(async () => {
    swarms.forEach((s) => s.stop());
    await fleet?.stop();
  });

  it('should quarantine and restore idempotently, refusing new sessions with NotAccepting while quarantined', async () => {
    const gw = control(fleet, 'gw-3');
    await gw.quarantine();
    expect(await gw.quarantine()).toMatchObject({ gatewayId: 'gw-3', accepting: false });
    const turnedAway = new RawSession(fleet.gateway('gw-3').address, 'newcomer');
    expect(await turnedAway.closed).toMatchObject({ code: CloseCode.NotAccepting });

    await gw.restore();
    expect(await gw.restore()).toMatchObject({ accepting: true });
    const welcomed = new RawSession(fleet.gateway('gw-3').address, 'newcomer');
    await welcomed.welcomed();
    welcomed.close(1000);
  });

  it.each([
    ['no targets', { limit: 5 }, 'targets: '],
    ['a target address that is not a URL', { targets: [{ gatewayId: 'gw-2', address: 'nowhere' }] }, 'targets.0.address: '],
    ['a malformed gateway id', { targets: [{ gatewayId: 'GW 2', address: 'ws://127.0.0.1:1/ws' }] }, 'targets.0.gatewayId: '],
    ['a zero limit', { targets: [{ gatewayId: 'gw-2', address: 'ws://127.0.0.1:1/ws' }], limit: 0 }, 'limit: '],
    ['an unknown field', { targets: [{ gatewayId: 'gw-2', address: 'ws://127.0.0.1:1/ws' }], force: true }, 'force'],
  ])('should answer a migrate with %s with 400 naming the field', async (_case, body, field) => {
    const answer = await post(fleet.gateway('gw-1').controlUrl, '/control/migrate', JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(answer.error).toContain(field);
  });

  it('should answer 400 for a body that is not JSON, 400 for an unknown fault kind, 404 for an unknown endpoint', async () => {
    const { controlUrl } = fleet.gateway('gw-1');
    expect(await post(controlUrl, '/control/migrate', '{"targets": ')).toMatchObject({ status: 400, error: expect.stringMatching(/^body: not valid JSON/) });
    expect(await post(controlUrl, '/control/faults', '{"kind":"meltdown"}')).toMatchObject({ status: 400, error: expect.stringContaining('kind') });
    await expect(control(fleet, 'gw-1').clearFaults('meltdown' as never)).rejects.toThrow(/400: kind: must be one of/);
    expect(await post(controlUrl, '/control/reboot', '{}')).toMatchObject({ status: 404, error: 'no control endpoint POST /control/reboot' });
  });

  it('should count the sessions that came from a gateway, within an incident window when asked, over the signed control API', async () => {
    const gw = control(fleet, 'gw-1');
    const { controlUrl } = fleet.gateway('gw-1');
    expect(await gw.arrivals('gw-9')).toEqual({ from: 'gw-9', count: 0 });
    expect(await gw.arrivals('gw-9', { since: Date.now() - 30_000, redirectsSince: Date.now() })).toEqual({ from: 'gw-9', count: 0 });
    expect(await get(controlUrl, '/control/arrivals/gw-9?since=12')).toMatchObject({ status: 400, error: 'since, redirectsSince: give both or neither' });
    expect(await get(controlUrl, '/control/arrivals/gw-9?since=soon&redirectsSince=1')).toMatchObject({ status: 400, error: expect.stringMatching(/^since: expected milliseconds/) });
  });

  it('should refuse every unsigned, wrongly signed, altered, stale or replayed control request with 401 naming why', async () => {
    const { controlUrl } = fleet.gateway('gw-1');
    const secret = fleet.stack.controlSecret;
    const body = JSON.stringify({ targets: targets(fleet, 'gw-2') });
    const url = new URL(`${controlUrl}/control/migrate`);
    const cases: [string, Record<string, string>, RegExp][] = [
      ['unsigned', {}, /unsigned/],
      ['signed with another secret', signControlRequest('x'.repeat(32), 'POST', url, Buffer.from(body)), /signature does not match/],
      ['signed for another body', signControlRequest(secret, 'POST', url, Buffer.from('{}')), /signature does not match/],
      ['signed for another path', signControlRequest(secret, 'POST', new URL(`${controlUrl}/control/drain`), Buffer.from(body)), /signature does not match/],
      ['signed long ago', signControlRequest(secret, 'POST', url, Buffer.from(body), Date.now() - MAX_CONTROL_CLOCK_SKEW_MS - 1_000), /stale/],
    ];
    for (const [, headers, reason] of cases) {
      expect(await call(controlUrl, 'POST', '/control/migrate', body, secret, headers)).toMatchObject({ status: 401, error: expect.stringMatching(reason) });
    }
    const once = signControlRequest(secret, 'GET', new URL(`${controlUrl}/control/status`));
    expect((await call(controlUrl, 'GET', '/control/status', '', secret, once)).status).toBe(200);
    expect(await call(controlUrl, 'GET', '/control/status', '', secret, once)).toMatchObject({ status: 401, error: expect.stringMatching(/replayed/) });
  });

  it('should serve control requests only on the control listener, never on the client address', async () => {
    const { address, controlUrl } = fleet.gateway('gw-1');
    const publicHttp = address.replace(/^ws/, 'http').replace(/\/ws$/, '');
    expect(new URL(publicHttp).port).not.toBe(new URL(controlUrl).port);
    const secret = fleet.stack.controlSecret;
    expect((await call(publicHttp, 'GET', '/control/status', '', secret)).status).toBe(404);
  });

  it.each([
    ['an unregistered gateway id', () => [{ gatewayId: 'gw-9', address: fleet.gateway('gw-2').address }], /targets\.0: gw-9 is not a registered, serving gateway/],
    ['a registered id with an address that is not its own', () => [{ gatewayId: 'gw-2', address: 'ws://203.0.113.7:443/ws' }], /targets\.0\.address: .* is not gw-2's registered address/],
    ['the gateway itself', () => targets(fleet, 'gw-1'), /targets\.0: gw-1 is not a registered, serving gateway/],
  ])('should refuse a migration to %s with 422, redirecting nobody', async (_case, pick, reason) => {
    const client = new RawSession(fleet.gateway('gw-1').address, `stays-${reason.source.length}`);
    await client.welcomed();
    const error = await control(fleet, 'gw-1').migrate({ targets: pick(), waitMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: expect.stringMatching(reason) });
    expect(client.frames.some((f) => f.t === 'redirect')).toBe(false);
    client.close(1000);
  });

  it('should refuse a migration to a registered gateway that is not serving', async () => {
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      await new GatewayStateStore(etcd).transition('gw-3', 'quarantined', 'test', Date.now());
      const error = await control(fleet, 'gw-1').migrate({ targets: targets(fleet, 'gw-3') }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 422, message: expect.stringContaining('gw-3 is not a registered, serving gateway') });
    } finally {
      await new GatewayStateStore(etcd).transition('gw-3', 'serving', 'test', Date.now());
      etcd.close();
    }
  });

  it('should run a batch once per batch id: a retry reports the same batch and moves nobody else', async () => {
    const swarm = await clientsOn('gw-1', 30);
    const gw = control(fleet, 'gw-1');
    const request = { batchId: 'retried', targets: targets(fleet, 'gw-2'), limit: 10, waitMs: 10_000 };
    const first = await gw.migrate(request);
    const again = await gw.migrate(request);

    expect(first).toMatchObject({ batchId: 'retried', settled: true, moved: 10, remaining: 20 });
    expect(again.sessions).toEqual(first.sessions);
    expect((await gw.status()).sessions).toBe(20);
    expect(await gw.migration('retried')).toMatchObject({ moved: 10, sessions: first.sessions });
    await expect(gw.migration('never-ran')).rejects.toMatchObject({ status: 404 });
    const report = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(report.byGateway).toEqual({ 'gw-1': 20, 'gw-2': 10 });
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });

  it('should reload its routes from the registry: serving peers only', async () => {
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      await new GatewayStateStore(etcd).transition('gw-3', 'quarantined', 'test', Date.now());
      const { routes } = await control(fleet, 'gw-1').reloadRoutes();
      expect(routes).toEqual(targets(fleet, 'gw-2'));
      await new GatewayStateStore(etcd).transition('gw-3', 'serving', 'test', Date.now());
      expect((await control(fleet, 'gw-1').reloadRoutes()).routes).toEqual(targets(fleet, 'gw-2', 'gw-3'));
    } finally {
      etcd.close();
    }
  });

  it('should drain every session to its peers in paced batches, once however often it is asked', async () => {
    await fleet.startGateway('drained');
    const swarm = await clientsOn('drained', 60);
    const gw = control(fleet, 'drained');
    const started = await gw.drain({ batchSize: 15, pauseMs: 20, jitterMs: 20, spreadMs: 20 });
    const joined = await gw.drain({ batchSize: 1 });
    expect(joined.drainId).toBe(started.drainId);
    expect(joined.pacing.batchSize).toBe(15);

    const done = await waitUntil('the drain to finish', async () => {
      const status = await gw.drainStatus();
      return status.state !== 'running' ? status : undefined;
    });
    expect(done).toMatchObject({ state: 'done', moved: 60, remaining: 0, batches: 4 });
    expect(done.targets).toEqual(['gw-1', 'gw-2', 'gw-3']);
    expect(await gw.status()).toMatchObject({ accepting: false, sessions: 0 });
    const report = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(report.byGateway.drained).toBeUndefined();
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, reconnects: 0 });
  });

  it('should publish vitals under its lease: connections, capacity, client RTTs, and where the TCP counters come from', async () => {
    await fleet.startGateway('vital');
    await clientsOn('vital', 5);
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      const vitals = await waitUntil('vitals with client RTTs', async () => {
        const raw = await etcd.get(vitalsKey('vital')).string();
        const parsed = raw === null ? undefined : GatewayVitalsSchema.parse(JSON.parse(raw));
        return parsed && parsed.rttSamplesMs.length > 0 ? parsed : undefined;
      });
      expect(vitals).toMatchObject({ gatewayId: 'vital', connections: 5, capacity: 10_000, accepting: true, writeBlocked: false });
      expect(vitals.tcpCounterSource).toBe((await import('#agent')).readOsTcpCounters() ? 'os' : 'app');
      // Here the gateway shares its network namespace with etcd, Temporal and the test itself: kernel counters are the host's.
      expect(vitals.tcpCounterScope).toBe(vitals.tcpCounterSource === 'os' ? 'host' : 'gateway');
      // Round trips on loopback are fractions of a millisecond, and kept so.
      expect(vitals.rttSamplesMs.some((ms) => !Number.isInteger(ms))).toBe(true);
    } finally {
      etcd.close();
    }
  });

  it('should count ended connections itself when told to use application counters', async () => {
    await fleet.startGateway('app-counted', { TCP_COUNTERS: 'app' });
    const swarm = await clientsOn('app-counted', 20);
    swarm.stop();
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      const vitals = await waitUntil('vitals counting the closes', async () => {
        const raw = await etcd.get(vitalsKey('app-counted')).string();
        const parsed = raw === null ? undefined : GatewayVitalsSchema.parse(JSON.parse(raw));
        return parsed && parsed.finRstPerSec > 0 ? parsed : undefined;
      });
      expect(vitals.tcpCounterSource).toBe('app');
      expect(vitals.tcpCounterScope).toBe('gateway');
      expect(vitals.connections).toBeLessThan(20);
    } finally {
      etcd.close();
    }
  });

  it('should refuse fault injection with 403 where it is disabled', async () => {
    await fleet.startGateway('production-like', { FAULT_INJECTION: 'disabled' });
    const error = await control(fleet, 'production-like')
      .injectFault({ kind: 'hang' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlApiError);
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining('FAULT_INJECTION=enabled') });
  });
});

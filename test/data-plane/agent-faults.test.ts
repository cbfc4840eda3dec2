import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientSwarm } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { ChannelProbe } from './support/channel-probe.js';
import { caughtUp, control, seededOn, swarmOn } from './support/fleet-helpers.js';
import { RawSession } from './support/raw-session.js';

const CLIENTS = 20;

/** Starts a gateway with `env` and a small swarm on it; the caller stops the swarm. */
const gatewayWithClients = async (fleet: Fleet, id: string, env: Record<string, string> = {}) => {
  await fleet.startGateway(id, env);
  const swarm = new ClientSwarm({ prefix: id, count: CLIENTS, gateways: seededOn(fleet, id), topics: ['ticker'] });
  await swarm.start();
  await swarmOn(swarm, id);
  return swarm;
};

describe('agent: control channel, self-reports and fault injection', () => {
  let fleet: Fleet;
  const swarms: ClientSwarm[] = [];
  const probes: ChannelProbe[] = [];
  const probe = async (gatewayId: string): Promise<ChannelProbe> => {
    const opened = await ChannelProbe.open(fleet.gateway(gatewayId).controlUrl, fleet.stack.controlSecret);
    probes.push(opened);
    return opened;
  };

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 1, worker: false, useExisting: false, messagesPerSecond: 20 });
  });

  afterAll(async () => {
    probes.forEach((p) => p.close());
    swarms.forEach((s) => s.stop());
    await fleet?.stop();
  });

  it('should answer each ping with a pong echoing its id and sentAt', async () => {
    const channel = await probe('gw-1');
    const ids = [channel.ping(), channel.ping(), channel.ping()];
    const pongs = await Promise.all(ids.map((id) => channel.pong(id)));
    expect(pongs.map((p) => [p.id, p.gatewayId])).toEqual(ids.map((id) => [id, 'gw-1']));
  });

  it('should delay pongs by an injected latency, and stop delaying once it is cleared', async () => {
    const channel = await probe('gw-1');
    await control(fleet, 'gw-1').injectFault({ kind: 'latency', ms: 300 });
    const slow = await channel.pong(channel.ping());
    // The gateway holds each pong back for the injected time, so no pong can come sooner.
    expect(slow.receivedAt - slow.sentAt).toBeGreaterThanOrEqual(300);
    expect((await control(fleet, 'gw-1').faults()).active).toEqual([expect.objectContaining({ kind: 'latency', ms: 300 })]);

    const cleared = await control(fleet, 'gw-1').clearFaults('latency');
    expect(cleared.active).toEqual([]);
    await channel.pong(channel.ping());
  });

  it('should go silent in a hang — no pongs, no messages, sockets kept open — and resume with nothing lost', async () => {
    const swarm = await gatewayWithClients(fleet, 'hangs');
    swarms.push(swarm);
    const channel = await probe('hangs');
    await control(fleet, 'hangs').injectFault({ kind: 'hang' });
    const during = [channel.ping(), channel.ping()];
    const furthest = (): number => Math.max(...swarm.clients.map((c) => c.ledgers.get('ticker')?.last ?? -1));
    const head = fleet.publisher.head('ticker');
    await waitUntil('the publisher to move on', async () => fleet.publisher.head('ticker') > head + 10);
    const stalledAt = furthest();
    await waitUntil('the publisher to move on further', async () => fleet.publisher.head('ticker') > head + 30);

    expect(furthest()).toBe(stalledAt);
    expect(channel.pongs.filter((p) => during.includes(p.id))).toEqual([]);
    expect(channel.isOpen).toBe(true);
    expect(swarm.report().connected).toBe(CLIENTS);

    await control(fleet, 'hangs').clearFaults('hang');
    await channel.pong(channel.ping());
    const settled = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, reconnects: 0 });
  });

  it('should stop answering while really stopped (SIGSTOP) and answer again after SIGCONT', async () => {
    const swarm = await gatewayWithClients(fleet, 'frozen', { GATEWAY_LEASE_TTL_SECONDS: '10' });
    swarms.push(swarm);
    const channel = await probe('frozen');
    const { app } = fleet.gateway('frozen');
    app.process.signal('SIGSTOP');
    const during = channel.ping();
    await sleep(300);
    expect(channel.pongs.some((p) => p.id === during)).toBe(false);

    app.process.signal('SIGCONT');
    await channel.pong(during);
    const settled = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });

  it('should report an error burst', async () => {
    await fleet.startGateway('noisy', { ERROR_BURST_COUNT: '10', ERROR_BURST_WINDOW_MS: '2000' });
    const channel = await probe('noisy');
    // Clients that send garbage are each a protocol error.
    const garblers = Array.from({ length: 12 }, (_, i) => new RawSession(fleet.gateway('noisy').address, `garbler-${i}`));
    await Promise.all(garblers.map((g) => g.welcomed()));
    garblers.forEach((g) => g.send({ nonsense: true } as never));
    const report = await channel.report('error-burst');
    expect((report.detail as { errors: number }).errors).toBeGreaterThanOrEqual(10);
  });

  it('should announce its shutdown on SIGTERM before it goes', async () => {
    await fleet.startGateway('leaving');
    const channel = await probe('leaving');
    await fleet.killGateway('leaving', 'SIGTERM');
    expect(await channel.report('shutdown')).toMatchObject({ gatewayId: 'leaving', kind: 'shutdown' });
  });

  it.each([
    ['exit', { code: 70, signal: null }],
    ['sigkill', { code: null, signal: 'SIGKILL' }],
  ] as const)('should crash on request (%s), after answering', async (mode, expected) => {
    const { app } = await fleet.startGateway(`crash-${mode}`);
    const answer = await control(fleet, `crash-${mode}`).injectFault({ kind: 'crash', mode });
    expect(answer.scheduled).toEqual([expect.objectContaining({ kind: 'crash' })]);
    expect(await app.process.exited).toEqual(expected);
    fleet.gateways.delete(`crash-${mode}`);
  });

  it('should take faults from GATEWAY_FAULTS at start', async () => {
    await fleet.startGateway('preloaded', { GATEWAY_FAULTS: JSON.stringify([{ kind: 'latency', ms: 150 }, { kind: 'hang', afterMs: 60_000 }]) });
    const faults = await control(fleet, 'preloaded').faults();
    expect(faults.active).toEqual([expect.objectContaining({ kind: 'latency', ms: 150 })]);
    expect(faults.scheduled).toEqual([expect.objectContaining({ kind: 'hang' })]);

    const doomed = await fleet.startGateway('self-destructs', { GATEWAY_FAULTS: '[{"kind":"crash","afterMs":1000,"exitCode":71}]' });
    expect(await doomed.app.process.exited).toEqual({ code: 71, signal: null });
    fleet.gateways.delete('self-destructs');
  });

  it('should refuse to start with a GATEWAY_FAULTS it cannot read, naming the setting', async () => {
    await expect(fleet.startGateway('misconfigured', { GATEWAY_FAULTS: '[{"kind":"meltdown"}]' })).rejects.toThrow(/GATEWAY_FAULTS/);
    await expect(fleet.startGateway('disallowed', { FAULT_INJECTION: 'disabled', GATEWAY_FAULTS: '[{"kind":"hang"}]' })).rejects.toThrow(
      /GATEWAY_FAULTS: faults are listed but FAULT_INJECTION is disabled/,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { ClientSwarm } from '#client';
import { CloseCode } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore } from '#etcd';
import { connectTemporalClient } from '../support/temporal-client.js';
import { caughtUp, control, seededOn, swarmOn } from './support/fleet-helpers.js';
import { RawSession } from './support/raw-session.js';

const MIB = 1024 * 1024;

/** Opens a connection as a client would, sends one frame of `bytes`, and resolves how the gateway closed it. */
const sendHuge = (address: string, sessionId: string, frame: Buffer): Promise<number> =>
  new Promise((resolve, reject) => {
    const url = new URL(address);
    url.searchParams.set('session', sessionId);
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(frame, { binary: false }));
    socket.on('error', () => undefined);
    socket.on('close', (code) => resolve(code));
    setTimeout(() => reject(new Error(`${sessionId}: no close within 30 s`)), 30_000).unref();
  });

describe('data-plane edges: frame and connection limits, binary frames, topics', () => {
  let fleet: Fleet;
  let bystanders: ClientSwarm;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, detector: true, useExisting: false, messagesPerSecond: 50 });
    bystanders = new ClientSwarm({ prefix: 'calm', count: 20, gateways: seededOn(fleet, 'gw-1'), topics: ['ticker'] });
    await bystanders.start();
    await swarmOn(bystanders, 'gw-1');
  });

  afterAll(async () => {
    bystanders?.stop();
    await fleet?.stop();
  });

  it('should close four 60 MiB frames with 1009 without the gateway growing or looking sick', async () => {
    const rssBefore = (await control(fleet, 'gw-1').status()).rssBytes;
    const frame = Buffer.alloc(60 * MIB, 0x61);
    const codes = await Promise.all([0, 1, 2, 3].map((i) => sendHuge(fleet.gateway('gw-1').address, `flooder-${i}`, frame)));
    expect(codes).toEqual([CloseCode.FrameTooLarge, CloseCode.FrameTooLarge, CloseCode.FrameTooLarge, CloseCode.FrameTooLarge]);
    const rssAfter = (await control(fleet, 'gw-1').status()).rssBytes;
    // The frames never sit in the gateway's memory: `ws` refuses them from their header and the rest
    // of each is read and dropped in socket-sized chunks. Holding even one would add 60 MiB, all four
    // 240 MiB (before the limit, four such clients took a gateway from 110 MB to 641 MB).
    expect(rssAfter - rssBefore).toBeLessThan(96 * MIB);

    // Healthy throughout: the bystanders keep flowing, and nobody took gw-1 out of rotation.
    const report = await caughtUp(bystanders, fleet.publisher.head('ticker'));
    expect(report.byGateway).toEqual({ 'gw-1': 20 });
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, reconnects: 0 });
    const etcd = fleet.stack.connectEtcd();
    const temporal = await connectTemporalClient(fleet.stack);
    try {
      expect((await new GatewayStateStore(etcd).get('gw-1'))?.state ?? 'serving').toBe('serving');
      await expect(temporal.client.workflow.getHandle('remediate:gw-1').describe()).rejects.toMatchObject({ name: 'WorkflowNotFoundError' });
    } finally {
      etcd.close();
      await temporal.close();
    }
  });

  it('should refuse connections from one IP beyond MAX_CONNECTIONS_PER_IP with 4429, and admit again after one leaves', async () => {
    await fleet.startGateway('capped', { MAX_CONNECTIONS_PER_IP: '3' });
    const address = fleet.gateway('capped').address;
    const admitted = [0, 1, 2].map((i) => new RawSession(address, `ip-${i}`));
    await Promise.all(admitted.map((s) => s.welcomed()));
    const fourth = new RawSession(address, 'ip-3');
    expect(await fourth.closed).toMatchObject({ code: CloseCode.TooManyConnections });

    admitted[0]!.close(1000);
    await admitted[0]!.closed;
    const again = new RawSession(address, 'ip-4');
    await again.welcomed();
    [...admitted.slice(1), again].forEach((s) => s.close(1000));
  });

  it('should close a binary frame with 4002 naming the protocol', async () => {
    const client = new RawSession(fleet.gateway('gw-2').address, 'binary');
    await client.welcomed();
    client.sendRaw(Buffer.from([1, 2, 3]));
    expect(await client.closed).toMatchObject({ code: CloseCode.ProtocolError, reason: expect.stringContaining('binary frames') });
  });

  it('should acknowledge sub and unsub, and stop sending a topic after unsub', async () => {
    const client = new RawSession(fleet.gateway('gw-2').address, 'subscriber');
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker' });
    await waitUntil('subscribed', async () => client.frames.some((f) => f.t === 'subscribed' && f.topic === 'ticker'));
    await client.receivesMore();
    client.send({ t: 'unsub', topic: 'ticker' });
    await waitUntil('unsubscribed', async () => client.frames.some((f) => f.t === 'unsubscribed'));
    const last = client.lastSeq;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.lastSeq).toBe(last);
    expect(client.open).toBe(true);
    client.close(1000);
  });

  it('should close a sub to a topic it does not serve with 4404, naming the topics it does', async () => {
    const client = new RawSession(fleet.gateway('gw-2').address, 'lost-topic');
    await client.welcomed();
    client.send({ t: 'sub', topic: 'no-such-topic' });
    expect(await client.closed).toEqual({ code: CloseCode.UnknownTopic, reason: 'unknown topic no-such-topic; served: ticker' });
  });
});

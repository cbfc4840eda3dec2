import { afterEach, describe, expect, it } from '@jest/globals';
import { type AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type ClientFrame, type MessageFrame, type RedirectFrame, signRedirectToken } from '#core';
import { waitUntil } from '#devstack';
import { type ClientEvent, PushClient } from './push-client.js';

const SECRET = 'a-redirect-secret-of-at-least-32-chars';

/** A real WebSocket server that plays a gateway: welcomes, records what clients send and which URLs they open. */
class FakeGateway {
  readonly received: ClientFrame[] = [];
  readonly connections: URL[] = [];
  readonly sockets: WebSocket[] = [];

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket, request) => {
      this.connections.push(new URL(request.url ?? '/', 'ws://x'));
      this.sockets.push(socket);
      socket.on('message', (raw) => this.received.push(JSON.parse(raw.toString()) as ClientFrame));
      socket.send(JSON.stringify({ t: 'welcome', gatewayId: 'fake', session: 'c-1', resume: 'r' }));
    });
  }

  static async start(): Promise<FakeGateway> {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    return new FakeGateway(server);
  }

  get address(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  send(frame: RedirectFrame | MessageFrame): void {
    this.sockets[0]?.send(JSON.stringify(frame));
  }

  stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const tokenFor = (targetGatewayId: string, targetAddress: string): Promise<string> => {
  const now = Date.now();
  return signRedirectToken(SECRET, { sessionId: 'c-1', sourceGatewayId: 'source', targetGatewayId, targetAddress, expiresAtMs: now + 10_000, nonce: new Uint8Array(16).fill(7) }, now);
};

describe(PushClient.name, () => {
  const stops: (() => unknown)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  const setUp = async (): Promise<{ source: FakeGateway; target: FakeGateway; events: ClientEvent[]; client: PushClient }> => {
    const [source, target] = [await FakeGateway.start(), await FakeGateway.start()];
    const events: ClientEvent[] = [];
    const client = new PushClient({ sessionId: 'c-1', gateways: [source.address], topics: ['ticker'], onEvent: (e) => events.push(e) });
    client.start();
    stops.push(() => client.stop(), () => source.stop(), () => target.stop());
    await waitUntil('the first sub', async () => source.received.some((f) => f.t === 'sub'));
    return { source, target, events, client };
  };

  it.each([
    ['a URL that is not the one its token names', (target: FakeGateway) => ({ url: 'ws://127.0.0.1:9/ws?session=c-1', target: 'gw-2', tokenAddress: target.address })],
    ['a target that is not the one its token names', (target: FakeGateway) => ({ url: `${target.address}?session=c-1`, target: 'gw-9', tokenAddress: target.address })],
  ])('should not follow a redirect to %s, and resume on its current connection', async (_case, pick) => {
    const { source, target, events, client } = await setUp();
    const { url, target: named, tokenAddress } = pick(target);
    source.send({ t: 'redirect', url, target: named, token: await tokenFor('gw-2', tokenAddress) });

    await waitUntil('the resubscription that tells the source', async () => source.received.filter((f) => f.t === 'sub').length === 2);
    expect(events.filter((e) => e.kind === 'redirect-ignored')).toHaveLength(1);
    expect(target.connections).toHaveLength(0);
    expect(client.counters).toMatchObject({ redirectsIgnored: 1, redirectsFollowed: 0 });
  });

  it('should follow a redirect that goes where its token says, presenting the token', async () => {
    const { source, target, client } = await setUp();
    const token = await tokenFor('gw-2', target.address);
    source.send({ t: 'redirect', url: `${target.address}?session=c-1`, target: 'gw-2', token });

    await waitUntil('the client on the target', async () => client.counters.redirectsFollowed === 1);
    expect(target.connections[0]?.searchParams.get('token')).toBe(token);
  });

  it('should present its resume secret when it reconnects after losing its gateway', async () => {
    const { source } = await setUp();
    source.sockets[0]?.terminate();
    await waitUntil('a reconnect', async () => source.connections.length === 2);
    expect(source.connections[0]?.searchParams.get('resume')).toBeNull();
    expect(source.connections[1]?.searchParams.get('resume')).toBe('r');
  });

  it('should read nothing while stalled, not leave the silent gateway meanwhile, and then take everything in order', async () => {
    const gateway = await FakeGateway.start();
    const seen: number[] = [];
    const events: ClientEvent[] = [];
    const client = new PushClient({ sessionId: 'c-1', gateways: [gateway.address], topics: ['ticker'], silenceDeadlineMs: 200, onEvent: (e) => events.push(e), onMessage: (_t, seq) => seen.push(seq) });
    client.start();
    stops.push(() => client.stop(), () => gateway.stop());
    await waitUntil('the first sub', async () => gateway.received.some((f) => f.t === 'sub'));

    expect(client.stallReading(800)).toBe(true);
    expect(client.stallReading(800)).toBe(false);
    for (let seq = 0; seq < 5; seq++) gateway.send({ t: 'msg', topic: 'ticker', seq, data: `#${seq}` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toEqual([]);

    await waitUntil('every message read after the stall', async () => seen.length === 5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(events.filter((e) => e.kind === 'server-silent')).toEqual([]);
    expect(gateway.connections).toHaveLength(1);
  });

  /** Holds this whole process (client and fake gateway alike) as a starved host would. */
  const freezeThisProcess = (forMs: number): void => {
    const until = Date.now() + forMs;
    while (Date.now() < until) {
      // nothing runs: no timer, no socket read
    }
  };

  const frozenClient = async (): Promise<{ gateway: FakeGateway; events: ClientEvent[]; client: PushClient }> => {
    const gateway = await FakeGateway.start();
    const events: ClientEvent[] = [];
    const client = new PushClient({ sessionId: 'c-1', gateways: [gateway.address], topics: ['ticker'], silenceDeadlineMs: 300, onEvent: (e) => events.push(e) });
    client.start();
    stops.push(() => client.stop(), () => gateway.stop());
    await waitUntil('the first sub', async () => gateway.received.some((f) => f.t === 'sub'));
    return { gateway, events, client };
  };

  it('should not take its own freeze for a silent gateway when the gateway spoke meanwhile', async () => {
    const { gateway, events, client } = await frozenClient();
    // Sent before the freeze, so it waits in the socket, unread, while the client's silence timer comes due.
    gateway.send({ t: 'msg', topic: 'ticker', seq: 0, data: '#0' });
    freezeThisProcess(1_000);
    await waitUntil('the message read after the freeze', async () => (client.ledgers.get('ticker')?.last ?? -1) === 0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events.filter((e) => e.kind === 'server-silent')).toEqual([]);
    expect(gateway.connections).toHaveLength(1);
  });

  it('should still leave a gateway that said nothing across its own freeze, one check later', async () => {
    const { gateway, events } = await frozenClient();
    freezeThisProcess(1_000);
    await waitUntil('the silent gateway left', async () => events.some((e) => e.kind === 'server-silent'));
    await waitUntil('a reconnect', async () => gateway.connections.length === 2);
  });

  it('should move to another address with its resume secret, resuming where it was, without counting a lost connection', async () => {
    const { source, target, events, client } = await setUp();
    source.send({ t: 'msg', topic: 'ticker', seq: 0, data: '#0' });
    await waitUntil('the first message', async () => (client.ledgers.get('ticker')?.last ?? -1) === 0);

    expect(client.moveTo(target.address)).toBe(true);
    await waitUntil('the resubscription on the new address', async () => target.received.some((f) => f.t === 'sub'));
    expect(target.connections[0]?.searchParams.get('resume')).toBe('r');
    expect(target.received.find((f) => f.t === 'sub')).toMatchObject({ topic: 'ticker', from: 1 });
    expect(client.host).toBe(new URL(target.address).host);
    await waitUntil('the old connection closed', async () => source.sockets[0]?.readyState === WebSocket.CLOSED);
    expect(events.filter((e) => e.kind === 'disconnected')).toEqual([]);
    expect(client.counters.reconnects).toBe(0);
  });
});

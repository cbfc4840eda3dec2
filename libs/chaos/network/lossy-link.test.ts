import { afterEach, describe, expect, it } from '@jest/globals';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { seededRandom } from '#core/rebalance/seeded-random';
import { waitUntil } from '#devstack';
import { LossyLink, type LossyLinkOptions } from './lossy-link.js';

/** A real TCP server that keeps what each connection sent and can answer. */
class EchoServer {
  readonly received: Buffer[] = [];
  readonly sockets: Socket[] = [];
  closedByPeer = 0;

  private constructor(readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('data', (chunk) => this.received.push(chunk));
      socket.on('end', () => (this.closedByPeer += 1));
      socket.on('error', () => undefined);
    });
  }

  static async start(): Promise<EchoServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new EchoServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

const setUp = async (options: Omit<LossyLinkOptions, 'target'> = {}) => {
  const echo = await EchoServer.start();
  open.push({ close: () => echo.stop() });
  const link = await LossyLink.open({ target: { host: '127.0.0.1', port: echo.port }, ...options });
  open.push(link);
  // Half-open, as a TCP peer may be: its own FIN is its own decision, not an echo of ours.
  const client = connect({ host: '127.0.0.1', port: link.port, allowHalfOpen: true });
  client.on('error', () => undefined);
  open.push({ close: () => void client.destroy() });
  await new Promise((resolve) => client.once('connect', resolve));
  await waitUntil('the link to connect through', async () => echo.sockets.length === 1, { timeoutMs: 5_000, intervalMs: 5 });
  return { echo, link, client, server: echo.sockets[0] as Socket };
};

/** Writes `count` numbered lines `gapMs` apart; what the other side must receive, byte for byte. */
const writeLines = async (socket: Socket, count: number, gapMs: number): Promise<string> => {
  let sent = '';
  for (let i = 0; i < count; i++) {
    const line = `line ${i}\n`;
    socket.write(line);
    sent += line;
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return sent;
};

describe(LossyLink.name, () => {
  it('should forward every byte in order, in both directions, however much the delay jitters', async () => {
    const { echo, link, client, server } = await setUp();
    link.set({ delayMs: 20, jitterMs: 19, lossRate: 0 });
    const back: Buffer[] = [];
    client.on('data', (chunk: Buffer) => back.push(chunk));
    const up = await writeLines(client, 200, 1);
    const down = await writeLines(server, 200, 1);
    await waitUntil('every byte through', async () => echo.bytes.length === up.length && Buffer.concat(back).length === down.length, { timeoutMs: 10_000, intervalMs: 10 });
    expect(echo.bytes.toString()).toBe(up);
    expect(Buffer.concat(back).toString()).toBe(down);
  });

  it('should hold every chunk for the delay it is set to, from the moment it is set', async () => {
    const { echo, link, client } = await setUp();
    link.set({ delayMs: 120, jitterMs: 0, lossRate: 0 });
    const sentAt = performance.now();
    client.write('delayed');
    await waitUntil('the chunk through', async () => echo.bytes.length === 7, { timeoutMs: 5_000, intervalMs: 2 });
    // Timers may fire up to a millisecond early against performance.now().
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(119);
  });

  it('should stall a lost chunk and what follows it for a retransmission timeout, and lose no byte', async () => {
    const { echo, link, client } = await setUp({ rto: { minMs: 150, maxMs: 150 } });
    link.set({ delayMs: 0, jitterMs: 0, lossRate: 1 });
    const sentAt = performance.now();
    const sent = await writeLines(client, 20, 2);
    await waitUntil('every byte through', async () => echo.bytes.length === sent.length, { timeoutMs: 10_000, intervalMs: 5 });
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(149);
    expect(echo.bytes.toString()).toBe(sent);
    expect(link.losses).toBeGreaterThan(0);
  });

  it('should lose no byte when only some chunks are lost', async () => {
    const { echo, link, client } = await setUp({ random: seededRandom(7), rto: { minMs: 20, maxMs: 60 } });
    link.set({ delayMs: 5, jitterMs: 5, lossRate: 0.2 });
    const sent = await writeLines(client, 300, 1);
    await waitUntil('every byte through', async () => echo.bytes.length === sent.length, { timeoutMs: 20_000, intervalMs: 10 });
    expect(echo.bytes.toString()).toBe(sent);
    expect(link.losses).toBeGreaterThan(0);
  });

  it('should pass a FIN on after the bytes ahead of it, both ways', async () => {
    const { echo, link, client, server } = await setUp();
    link.set({ delayMs: 30, jitterMs: 0, lossRate: 0 });
    let clientGotEnd = false;
    const back: Buffer[] = [];
    client.on('data', (chunk: Buffer) => back.push(chunk));
    client.on('end', () => (clientGotEnd = true));
    server.end('bye');
    await waitUntil('the server FIN at the client', async () => clientGotEnd, { timeoutMs: 5_000, intervalMs: 5 });
    expect(Buffer.concat(back).toString()).toBe('bye');
    client.end('done');
    await waitUntil('the client FIN at the server', async () => echo.closedByPeer === 1, { timeoutMs: 5_000, intervalMs: 5 });
    expect(echo.bytes.toString()).toBe('done');
    await waitUntil('the connection gone from the link', async () => link.connections === 0, { timeoutMs: 5_000, intervalMs: 5 });
  });

  it('should reset the client when the server side resets, and the server when the link closes', async () => {
    const { link, client, server } = await setUp();
    let clientClosed = false;
    client.on('close', () => (clientClosed = true));
    server.resetAndDestroy();
    await waitUntil('the client closed', async () => clientClosed, { timeoutMs: 5_000, intervalMs: 5 });

    const second = connect({ host: '127.0.0.1', port: link.port });
    second.on('error', () => undefined);
    let secondClosed = false;
    second.on('close', () => (secondClosed = true));
    await waitUntil('a second connection through', async () => link.connections === 1, { timeoutMs: 5_000, intervalMs: 5 });
    await link.close();
    await waitUntil('the second client closed', async () => secondClosed, { timeoutMs: 5_000, intervalMs: 5 });
  });

  it('should close the client when the server cannot be reached', async () => {
    const echo = await EchoServer.start();
    const port = echo.port;
    await echo.stop();
    const link = await LossyLink.open({ target: { host: '127.0.0.1', port } });
    open.push(link);
    const client = connect({ host: '127.0.0.1', port: link.port });
    client.on('error', () => undefined);
    let closed = false;
    client.on('close', () => (closed = true));
    await waitUntil('the client closed', async () => closed, { timeoutMs: 5_000, intervalMs: 5 });
    expect(link.connections).toBe(0);
  });
});

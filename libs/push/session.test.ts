import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { DeliveryGate } from './delivery-gate.js';
import { Session } from './session.js';

describe(Session.name, () => {
  let server: WebSocketServer;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
  });

  afterAll(async () => {
    clients.forEach((c) => c.terminate());
    await new Promise((resolve) => server.close(resolve));
  });

  /** The server's side of a fresh real connection. */
  const accepted = async (): Promise<WebSocket> => {
    const socket = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('error', () => undefined); // a replaced connection is closed by the session: expected here
    clients.push(client);
    await new Promise((resolve) => client.once('open', resolve));
    return socket;
  };

  it('should forget a probe ping still out on the connection a resume replaced', async () => {
    const session = new Session('s-1', await accepted(), { onBlocked: () => undefined, highWaterBytes: 1 << 20, gate: new DeliveryGate() });
    session.pingSentAt = 1_000;
    session.rebind(await accepted(), Date.now());
    expect(session.pingSentAt).toBeUndefined();
  });
});

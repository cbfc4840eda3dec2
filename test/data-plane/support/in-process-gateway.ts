import { createServer, type Server } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SessionHub, type SessionHubOptions, SignedRedirectAuthority } from '#push';

/** A real SessionHub on a real HTTP server in the test process: the data plane without etcd or the agent. */
export const startHub = async (
  publisherUrl: string,
  options: Partial<Omit<SessionHubOptions, 'publisherUrl' | 'tokens' | 'onError'>> = {},
): Promise<{ hub: SessionHub; address: string; serverSockets: Socket[]; stop: () => Promise<void> }> => {
  const gatewayId = options.gatewayId ?? 'in-process';
  const hub = new SessionHub({
    gatewayId,
    publisherUrl,
    topics: ['ticker'],
    capacity: 1_000,
    replayWindow: 1_000,
    ...options,
    tokens: new SignedRedirectAuthority(gatewayId, randomBytes(32)),
    onError: () => undefined,
  });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  // The gateway side of every client connection, so a test can make one stop draining.
  const serverSockets: Socket[] = [];
  server.on('upgrade', (req, socket, head) => {
    serverSockets.push(socket as Socket);
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hub,
    address: `ws://127.0.0.1:${port}/ws`,
    serverSockets,
    stop: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

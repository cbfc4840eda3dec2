import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ControlAuthenticator, ControlChannelServer } from '#agent';

/**
 * A gateway agent reduced to its control channel (the real `ControlChannelServer`, signed upgrades
 * and all) on its own loopback port: it answers every ping, and crashes by resetting its sockets
 * and closing its port, as a SIGKILLed gateway's kernel would.
 */
export class ChannelOnlyAgent {
  private constructor(
    private readonly server: Server,
    private readonly channel: ControlChannelServer,
  ) {}

  static async start(id: string, secret: string): Promise<ChannelOnlyAgent> {
    const channel = new ControlChannelServer(id, () => ({ writeBlock: false, latencyMs: 0, hang: false }), new ControlAuthenticator(secret));
    const server = createServer((_, res) => res.writeHead(404).end());
    server.on('upgrade', (request, socket, head) => {
      if (!channel.handleUpgrade(request, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ChannelOnlyAgent(server, channel);
  }

  get controlUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  crash(): void {
    this.channel.close();
    this.server.close();
    this.server.closeAllConnections();
  }
}

import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type GatewayAgent } from './gateway-agent.js';

export interface ControlListener {
  /** `http://host:port`: the registration's `controlUrl`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The agent's own HTTP listener for `/control/*` and the control channel, apart from
 * the public client listener: it binds to loopback by default (CONTROL_HOST), so
 * clients never reach it, and every request on it must be signed anyway.
 */
export const listenForControl = async (agent: GatewayAgent, host: string, port: number): Promise<ControlListener> => {
  const server = createServer((req, res) => {
    if (!agent.handleRequest(req, res)) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"only /control/* is served here"}');
  });
  server.on('upgrade', (req, socket, head) => {
    if (!agent.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

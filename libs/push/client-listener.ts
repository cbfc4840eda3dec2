import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type SessionHub } from './session-hub.js';

export interface ClientListenerOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Largest handshake request (request line and headers) the HTTP parser takes. Generous on
   * purpose: a client's oversized token must reach the WebSocket layer, where it is refused
   * with its documented close code (4400), instead of dying as HTTP 431 in the parser.
   */
  readonly maxHandshakeBytes: number;
  /** Answers `GET /healthz` (a readiness probe, e.g. Kubernetes'): 200 when ready, else 503. */
  readonly readiness?: () => { readonly ready: boolean; readonly [field: string]: unknown };
}

export interface ClientListener {
  /** `ws://host:port/ws`: the registration's `address`. */
  readonly address: string;
  close(): Promise<void>;
}

/** The public listener: client WebSockets on `/ws` and the readiness probe, nothing else (the control plane has its own). */
export const listenForClients = async (hub: SessionHub, options: ClientListenerOptions): Promise<ClientListener> => {
  const server = createServer({ maxHeaderSize: options.maxHandshakeBytes, headersTimeout: 10_000 }, (req, res) => {
    if (options.readiness && req.method === 'GET' && req.url === '/healthz') {
      const answer = options.readiness();
      res.writeHead(answer.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"clients connect with a WebSocket to /ws"}');
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  // A handshake the parser cannot read (beyond maxHandshakeBytes, not HTTP) is answered, counted, and closed.
  server.on('clientError', (error: Error & { code?: string }, socket) => {
    hub.countHandshakeFailure();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    address: `ws://${host}:${port}/ws`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

import { readFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { createServer } from 'node:tls';
import { type TestCertificates } from './test-certificates.js';

export interface TlsProxy {
  /** `127.0.0.1:port`, where clients speak TLS (and must present a client certificate). */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * A TLS front for a plaintext gRPC server on loopback (the embedded Temporal dev server has
 * no TLS of its own): it terminates TLS with ALPN `h2`, demands a client certificate signed
 * by the test CA, and pipes the HTTP/2 bytes through unchanged — as a TLS-terminating proxy
 * in front of a production cluster would.
 */
export const startTlsProxy = async (target: string, certs: TestCertificates): Promise<TlsProxy> => {
  const [host, port] = target.split(':') as [string, string];
  const server = createServer(
    {
      key: readFileSync(certs.serverKeyFile),
      cert: readFileSync(certs.serverCertFile),
      ca: readFileSync(certs.caFile),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (client) => {
      const upstream = connect(Number(port), host);
      client.pipe(upstream).pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

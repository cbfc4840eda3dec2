import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Logger } from '../logger.js';
import { type ReadinessCheck, checkReadiness, notReadyProblem } from './readiness.js';

export interface OpsServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly checks: readonly ReadinessCheck[];
  /** The Prometheus exposition text. */
  readonly metrics: () => Promise<string>;
  readonly log: Logger;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The operations listener of a process that serves no HTTP of its own (worker,
 * detector): `/healthz` (the process runs), `/readyz` (its dependencies answer,
 * else 503 problem+json naming them) and `/metrics` (Prometheus).
 */
export const startOpsServer = async (options: OpsServerOptions): Promise<OpsServer> => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    const answer = async (): Promise<void> => {
      if (req.method !== 'GET') {
        res.writeHead(405, { 'content-type': 'application/problem+json', allow: 'GET' });
        res.end(JSON.stringify({ type: 'urn:homeostat:problem:invalid-request', title: 'Method Not Allowed', status: 405, detail: `${req.method} is not served here` }));
        return;
      }
      switch (path) {
        case '/healthz':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
          return;
        case '/readyz': {
          const readiness = await checkReadiness(options.checks);
          if (readiness.ready) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ready', checks: readiness.checks }));
          else res.writeHead(503, { 'content-type': 'application/problem+json' }).end(JSON.stringify(notReadyProblem(readiness)));
          return;
        }
        case '/metrics':
          res.writeHead(200, { 'content-type': PROMETHEUS_TEXT }).end(await options.metrics());
          return;
      }
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'urn:homeostat:problem:not-found', title: 'Not Found', status: 404, detail: `${path}: this listener serves /healthz, /readyz and /metrics` }));
    };
    answer().catch((err: unknown) => {
      options.log.error({ err, path }, 'ops endpoint failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'urn:homeostat:problem:internal', title: 'Internal Server Error', status: 500, detail: 'the endpoint failed; the process log has why' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

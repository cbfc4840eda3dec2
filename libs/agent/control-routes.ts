import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ControlledGateway } from './controlled-gateway.js';
import { type GatewayStatus, MigrateRequest, type MigrateResult } from './control-requests.js';

const MAX_BODY_BYTES = 1 << 20;

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body over 1 MiB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as unknown) : {};
};

/**
 * The agent's control endpoints (`/control/*`), which remediation activities call.
 * Each is idempotent: quarantining twice or redirecting an already-redirected
 * session changes nothing, because Temporal retries activities.
 */
export class ControlRoutes {
  constructor(
    private readonly gatewayId: string,
    private readonly gateway: ControlledGateway,
  ) {}

  /** Returns false when the request is not a control request (the caller answers it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    if (!path.startsWith('/control/')) return false;
    void this.route(req.method ?? 'GET', path, req)
      .then(([status, body]) => reply(res, status, body))
      .catch((error: unknown) => reply(res, 400, { error: error instanceof Error ? error.message : String(error) }));
    return true;
  }

  status(): GatewayStatus {
    return { gatewayId: this.gatewayId, accepting: this.gateway.isAccepting, sessions: this.gateway.sessionCount };
  }

  private async route(method: string, path: string, req: IncomingMessage): Promise<[number, unknown]> {
    const action = `${method} ${path}`;
    switch (action) {
      case 'GET /control/status':
        return [200, this.status()];
      case 'POST /control/quarantine':
        this.gateway.setAccepting(false);
        return [200, this.status()];
      case 'POST /control/restore':
        this.gateway.setAccepting(true);
        return [200, this.status()];
      case 'POST /control/migrate':
        return this.migrate(await readJson(req));
      default:
        return [404, { error: `no control endpoint ${action}` }];
    }
  }

  private async migrate(body: unknown): Promise<[number, unknown]> {
    const parsed = MigrateRequest.safeParse(body);
    if (!parsed.success) {
      return [400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }];
    }
    const { targets, sessions, limit } = parsed.data;
    const chosen = (sessions ?? this.gateway.sessionIds()).slice(0, limit);
    const redirected = await this.gateway.redirect(chosen, targets);
    return [200, { redirected, remaining: this.gateway.sessionCount } satisfies MigrateResult];
  }
}

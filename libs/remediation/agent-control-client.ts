import { type GatewayStatus, type MigrateRequest, type MigrateResult } from '#agent';

export class AgentUnreachableError extends Error {
  constructor(controlUrl: string, cause: unknown) {
    super(`agent at ${controlUrl} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'AgentUnreachableError';
  }
}

/** Calls a gateway agent's `/control/*` endpoints (see docs/protocol.md). */
export class AgentControlClient {
  constructor(
    private readonly controlUrl: string,
    private readonly timeoutMs = 2_000,
  ) {}

  status(): Promise<GatewayStatus> {
    return this.call('GET', '/control/status');
  }

  quarantine(): Promise<GatewayStatus> {
    return this.call('POST', '/control/quarantine');
  }

  restore(): Promise<GatewayStatus> {
    return this.call('POST', '/control/restore');
  }

  migrate(request: MigrateRequest): Promise<MigrateResult> {
    return this.call('POST', '/control/migrate', request);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.controlUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AgentUnreachableError(this.controlUrl, error);
    }
    const payload = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${payload.error ?? 'no reason given'}`);
    return payload;
  }
}

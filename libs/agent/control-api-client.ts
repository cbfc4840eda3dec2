import { inClientSpan, traceHeaders } from '#runtime';
import { signControlRequest } from './auth/control-signature.js';
import { controlResource } from './control-resource.js';
import { type DrainRequest, type MigrateRequest } from './control-requests.js';
import { type SessionArrivals } from './controlled-gateway.js';
import { type GatewayStatus } from './control-routes.js';
import { type FaultView } from './faults/fault-injector.js';
import { type FaultKind } from './faults/fault-spec.js';
import { type DrainStatus } from './migration/drain.js';
import { type MigrateResult } from './migration/migration-report.js';
import { type Routes } from './route-table.js';
import { type ArrivalWindow } from '#core';

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlApiError';
  }
}

/** Faults as a caller writes them (defaults filled in by the agent). */
export type FaultRequest =
  | { readonly kind: 'write-block' | 'hang'; readonly afterMs?: number; readonly forMs?: number }
  | { readonly kind: 'latency'; readonly ms: number; readonly afterMs?: number; readonly forMs?: number }
  | { readonly kind: 'crash'; readonly mode?: 'exit' | 'abort' | 'sigkill'; readonly exitCode?: number; readonly afterMs?: number };

/** A typed caller of one agent's `/control/*` endpoints (docs/protocol.md §7), signing every request with CONTROL_SECRET. */
export class ControlApiClient {
  constructor(
    readonly controlUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5_000,
    /** Aborts every call in flight (e.g. a Temporal activity's cancellation signal). */
    private readonly cancel?: AbortSignal,
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

  /** One batch; the call lasts up to `waitMs` (plus this client's timeout). */
  migrate(request: MigrateRequest): Promise<MigrateResult> {
    return this.call('POST', '/control/migrate', request, (request.waitMs ?? 0) + this.timeoutMs);
  }

  migration(batchId: string): Promise<MigrateResult> {
    return this.call('GET', `/control/migrations/${encodeURIComponent(batchId)}`);
  }

  drain(request: DrainRequest = {}): Promise<DrainStatus> {
    return this.call('POST', '/control/drain', request);
  }

  drainStatus(): Promise<DrainStatus> {
    return this.call('GET', '/control/drain');
  }

  /** Sessions on this gateway that came from `gatewayId` (within `window`, when given). */
  arrivals(gatewayId: string, window?: ArrivalWindow): Promise<SessionArrivals> {
    const query = window === undefined ? '' : `?since=${window.since}&redirectsSince=${window.redirectsSince}`;
    return this.call('GET', `/control/arrivals/${encodeURIComponent(gatewayId)}${query}`);
  }

  routes(): Promise<Routes> {
    return this.call('GET', '/control/routes');
  }

  reloadRoutes(): Promise<Routes> {
    return this.call('POST', '/control/routes/reload');
  }

  faults(): Promise<FaultView> {
    return this.call('GET', '/control/faults');
  }

  injectFault(fault: FaultRequest): Promise<FaultView> {
    return this.call('POST', '/control/faults', fault);
  }

  clearFaults(kind?: FaultKind): Promise<FaultView> {
    return this.call('DELETE', kind ? `/control/faults/${kind}` : '/control/faults');
  }

  /** One signed call, in a client span whose W3C trace context goes along (the gateway continues the trace). */
  private call<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const url = new URL(`${this.controlUrl}${path}`);
    return inClientSpan(`control ${method} ${controlResource(path)}`, { 'http.request.method': method, 'url.full': url.href }, async () => {
      const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const signature = signControlRequest(this.secret, method, url, bytes);
      const headers = { ...traceHeaders(), ...signature, ...(bytes === undefined ? {} : { 'content-type': 'application/json' }) };
      const signal = this.cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), this.cancel]) : AbortSignal.timeout(timeoutMs);
      const response = await fetch(url, { method, headers, body: bytes, signal });
      const payload = (await response.json()) as T & { error?: string };
      if (!response.ok) throw new ControlApiError(response.status, `${method} ${path} → ${response.status}: ${payload.error ?? 'no reason given'}`);
      return payload;
    });
  }
}

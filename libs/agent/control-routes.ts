import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ArrivalWindow, type GatewayStateName, isValidGatewayId } from '#core';
import { type Logger, endServerSpan, startServerSpan } from '#runtime';
import { DrainRequest, MigrateRequest } from './control-requests.js';
import { controlResource } from './control-resource.js';
import { type ControlledGateway } from './controlled-gateway.js';
import { type ActiveFault, type FaultInjector } from './faults/fault-injector.js';
import { FAULT_KINDS, type FaultKind, FaultSpec } from './faults/fault-spec.js';
import { type ControlAuthenticator } from './auth/control-authenticator.js';
import { HttpProblem, parseBody, parseJson, readBody, reply } from './http-json.js';
import { type BatchBook } from './migration/batch-book.js';
import { type DrainDesk, type DrainStatus } from './migration/drain.js';
import { DEFAULT_PACING } from './migration/paced-migration.js';
import { type RouteTable } from './route-table.js';
import { type MigrationTarget } from './controlled-gateway.js';

export interface GatewayStatus {
  readonly gatewayId: string;
  readonly accepting: boolean;
  readonly sessions: number;
  readonly capacity: number;
  readonly writeBlocked: boolean;
  readonly drain?: DrainStatus;
  readonly faults: readonly ActiveFault[];
  /** Detectors connected to the control channel. */
  readonly detectors: number;
  /** Resident memory of the gateway process (bytes). */
  readonly rssBytes: number;
  /** Random per process start; the same value is in the registration. */
  readonly instanceId: string;
  /** Whether the agent holds a live registration lease right now. */
  readonly registered: boolean;
  /** The gateway's state record as the agent last read it. */
  readonly state?: GatewayStateName;
  /** Why new sessions are refused, if they are: `out-of-rotation`, `self-fenced`. */
  readonly refusing: readonly string[];
}

export interface ControlDeps {
  readonly gateway: ControlledGateway;
  readonly batches: BatchBook;
  readonly drains: DrainDesk;
  readonly routes: RouteTable;
  /** Every request must be signed with the fleet's CONTROL_SECRET. */
  readonly auth: ControlAuthenticator;
  /** Absent when fault injection is disabled (FAULT_INJECTION=disabled). */
  readonly faults: FaultInjector | undefined;
  readonly status: () => GatewayStatus;
  /** Where the gateway says what it was told to do (state changes, drains). */
  readonly log?: Logger;
}

type Answer = readonly [status: number, body: unknown];

/**
 * The agent's control endpoints (`/control/*`, see docs/protocol.md), which
 * remediation activities and operators call. Every one is idempotent — Temporal
 * retries activities — and every refusal says which field is wrong.
 */
/** A time in the query (ms since epoch): a whole number ≥ 0, else 400 naming it. */
const timeOf = (query: URLSearchParams, name: string): number | undefined => {
  const text = query.get(name);
  if (text === null) return undefined;
  const at = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(at)) throw new HttpProblem(400, `${name}: expected milliseconds since the epoch, a whole number ≥ 0 (got ${text.slice(0, 40)})`);
  return at;
};

/** `?since=&redirectsSince=` (both or neither): the incident's arrival window. */
const arrivalWindowOf = (query: URLSearchParams): ArrivalWindow | undefined => {
  const [since, redirectsSince] = [timeOf(query, 'since'), timeOf(query, 'redirectsSince')];
  if (since === undefined && redirectsSince === undefined) return undefined;
  if (since === undefined || redirectsSince === undefined) throw new HttpProblem(400, 'since, redirectsSince: give both or neither');
  return { since, redirectsSince };
};

export class ControlRoutes {
  constructor(private readonly deps: ControlDeps) {}

  /** Returns false when the request is not a control request (the caller answers it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    if (!path.startsWith('/control/')) return false;
    const method = req.method ?? 'GET';
    // Continues the caller's trace (a remediation activity sends its traceparent).
    const { span, run } = startServerSpan(`control ${method} ${controlResource(path)}`, req.headers, { 'http.request.method': method, 'url.path': path });
    const answer = (status: number, body: unknown): void => {
      reply(res, status, body);
      endServerSpan(span, status);
    };
    void run(() => this.authenticated(req, path).then((body) => this.route(method, path, body, new URL(req.url ?? '/', 'http://agent').searchParams))).then(
      ([status, body]) => answer(status, body),
      (error: unknown) => {
        if (error instanceof HttpProblem) answer(error.status, { error: error.message });
        else answer(500, { error: error instanceof Error ? error.message : String(error) });
      },
    );
    return true;
  }

  /** The request's body, once its signature holds; 401 with the reason otherwise. */
  private async authenticated(req: IncomingMessage, path: string): Promise<Buffer> {
    const body = await readBody(req);
    const search = new URL(req.url ?? '/', 'http://agent').search;
    const verdict = this.deps.auth.check({ method: req.method ?? 'GET', path: `${path}${search}`, headers: req.headers, body });
    if (!verdict.ok) throw new HttpProblem(401, `control request refused: ${verdict.reason}`);
    return body;
  }

  private async route(method: string, path: string, body: Buffer, query: URLSearchParams): Promise<Answer> {
    const { gateway, batches, drains, routes, status } = this.deps;
    const [, , resource, id] = path.split('/');
    switch (`${method} /${resource}`) {
      case 'GET /status':
        return [200, status()];
      case 'POST /quarantine':
        this.stateChange(false, 'quarantined: no new sessions');
        return [200, status()];
      case 'POST /restore':
        drains.stop();
        this.stateChange(true, 'restored: accepting new sessions');
        return [200, status()];
      case 'POST /migrate': {
        const request = parseBody(MigrateRequest, parseJson(body));
        // A retry of a known batch only reports it; a new batch sends sessions only to registered, serving peers.
        if (request.batchId === undefined || !batches.get(request.batchId)) await this.admitTargets(request.targets);
        return [200, await batches.migrate(request)];
      }
      case 'GET /migrations': {
        const batch = id ? batches.get(decodeURIComponent(id)) : undefined;
        if (!batch) throw new HttpProblem(404, `no migration batch ${id ?? '(none given)'} on this gateway`);
        return [200, batch.report(gateway.sessionCount)];
      }
      case 'POST /drain':
        return this.drain(parseJson(body));
      case 'GET /drain':
        return drains.status ? [200, drains.status] : [404, { error: 'this gateway has not been asked to drain' }];
      case 'GET /arrivals':
        if (!id || !isValidGatewayId(decodeURIComponent(id))) throw new HttpProblem(400, 'gatewayId: /control/arrivals/<gatewayId> needs a gateway id');
        return [200, gateway.arrivalsFrom(decodeURIComponent(id), arrivalWindowOf(query))];
      case 'GET /routes':
        return [200, routes.snapshot];
      case 'POST /routes':
        if (id !== 'reload') break;
        return [200, await routes.reload()];
      case 'GET /faults':
        return [200, this.faults().view()];
      case 'POST /faults':
        return this.inject(parseJson(body));
      case 'DELETE /faults':
        this.faults().clear(id === undefined ? undefined : faultKind(id));
        return [200, this.faults().view()];
    }
    throw new HttpProblem(404, `no control endpoint ${method} ${path}`);
  }

  private async drain(body: unknown): Promise<Answer> {
    const request = parseBody(DrainRequest, body);
    if (request.targets) await this.admitTargets(request.targets);
    const targets = request.targets ?? (await this.deps.routes.reload()).routes;
    if (targets.length === 0) throw new HttpProblem(409, 'targets: none given and no serving peer in the route table');
    const pacing = {
      batchSize: request.batchSize ?? DEFAULT_PACING.batchSize,
      pauseMs: request.pauseMs ?? DEFAULT_PACING.pauseMs,
      jitterMs: request.jitterMs ?? DEFAULT_PACING.jitterMs,
      spreadMs: request.spreadMs ?? DEFAULT_PACING.spreadMs,
      batchWaitMs: request.batchWaitMs ?? DEFAULT_PACING.batchWaitMs,
    };
    const { started, status } = this.deps.drains.start(targets, pacing);
    if (started) this.deps.log?.info({ event: 'drain-started', targets: targets.map((t) => t.gatewayId), pacing }, 'drain started');
    return [started ? 202 : 200, status];
  }

  /** Told to stop or start taking sessions: logged only when it changes something (calls are retried). */
  private stateChange(accepting: boolean, message: string): void {
    const before = this.deps.status().accepting;
    this.deps.gateway.setAccepting(accepting);
    if (before !== accepting) this.deps.log?.info({ event: 'state-change', accepting, sessions: this.deps.gateway.sessionCount }, message);
  }

  /**
   * Sessions go only where the fleet registry says a serving peer is: each target's id must be
   * registered, serving and not leaving, and its address must be the one registered, so no
   * caller can point clients at an address of its choosing.
   */
  private async admitTargets(targets: readonly MigrationTarget[]): Promise<void> {
    const { routes } = await this.deps.routes.reload().catch((error: unknown) => {
      throw new HttpProblem(503, `targets: cannot be checked against the fleet registry (${error instanceof Error ? error.message : String(error)})`);
    });
    const problems = targets.flatMap((target, index) => {
      const peer = routes.find((r) => r.gatewayId === target.gatewayId);
      if (!peer) return [`targets.${index}: ${target.gatewayId} is not a registered, serving gateway of this fleet (other than this one)`];
      if (peer.address !== target.address) return [`targets.${index}.address: ${target.address} is not ${target.gatewayId}'s registered address`];
      return [];
    });
    if (problems.length > 0) throw new HttpProblem(422, problems.join('; '));
  }

  private inject(body: unknown): Answer {
    const faults = this.faults();
    const spec = parseBody(FaultSpec, body);
    // A crash happens after the answer is out, so the caller learns it was accepted.
    faults.inject(spec.kind === 'crash' ? { ...spec, afterMs: Math.max(spec.afterMs ?? 0, 50) } : spec);
    return [spec.kind === 'crash' ? 202 : 200, faults.view()];
  }

  private faults(): FaultInjector {
    if (!this.deps.faults) throw new HttpProblem(403, 'fault injection is disabled on this gateway (FAULT_INJECTION=enabled turns it on)');
    return this.deps.faults;
  }
}

const faultKind = (raw: string): FaultKind => {
  const kind = FAULT_KINDS.find((k) => k === raw);
  if (!kind) throw new HttpProblem(400, `kind: must be one of ${FAULT_KINDS.join(', ')} (got ${raw})`);
  return kind;
};

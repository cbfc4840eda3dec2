import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlApiClient } from '#agent';
import { Publisher, type PublisherOptions } from '#push';
import { type ApiProcessOptions, type RunningApi, startApiProcess } from './api-process.js';
import { type HomeostatProcess, startApp } from './homeostat-processes.js';
import { type Stack, type StackOptions, startStack } from './stack.js';

export interface FleetOptions extends StackOptions {
  readonly gateways?: number;
  readonly topics?: readonly string[];
  readonly messagesPerSecond?: number;
  readonly gatewayCapacity?: number;
  readonly leaseTtlSeconds?: number;
  /** Start the Temporal worker (with its lease-expiry watcher). */
  readonly worker?: boolean;
  readonly api?: boolean;
  /** Start a detector (the sub-second fast path). */
  readonly detector?: boolean;
  /**
   * Let the worker create the periodic health-sweep schedule. Off by default so
   * background sweeps cannot race what a test is doing; the demo turns it on.
   */
  readonly sweeps?: boolean;
  /** Retention of the publisher (defaults: 10 000 recent messages, hard cap 100 000, orphan holds 30 s). */
  readonly publisher?: Pick<PublisherOptions, 'minRetain' | 'maxRetain' | 'orphanHoldMs'>;
  /** Environment for every gateway (startGateway's own `env` wins). Fault injection is on unless this turns it off. */
  readonly gatewayEnv?: Record<string, string>;
}

export interface RunningGateway {
  readonly id: string;
  readonly address: string;
  readonly controlUrl: string;
  readonly app: HomeostatProcess;
}

/**
 * A whole Homeostat installation on this machine: Temporal, etcd, a publisher,
 * gateways, the worker and the API, each a real process on free ports.
 */
export class Fleet {
  readonly gateways = new Map<string, RunningGateway>();
  /** Every gateway ever started, by id (the last process of each): restarts reuse its ports. */
  private readonly started = new Map<string, RunningGateway>();
  private readonly redirectSecret = randomBytes(32).toString('base64url');
  worker: HomeostatProcess | undefined;
  readonly detectors: HomeostatProcess[] = [];
  /** The API, with a token per role (`api.tokenFor(role)`) and the admin's as `api.token`. */
  api: RunningApi | undefined;
  /** Gateways the worker asked the supervisor to terminate (a run fencing a wedged gateway). */
  readonly terminated: string[] = [];
  private supervisor: { readonly server: Server; readonly url: string } | undefined;

  private constructor(
    readonly stack: Stack,
    readonly publisher: Publisher,
    readonly logDir: string,
    private readonly options: FleetOptions,
  ) {}

  /**
   * The fleet is the gateways' supervisor, as Kubernetes or systemd would be in production: the
   * worker reaches it at SUPERVISOR_URL to end a fenced gateway's process for good.
   */
  private async startSupervisor(): Promise<string> {
    const server = createServer((req, res) => {
      const match = /^\/terminate\/([a-z0-9._-]+)$/.exec(req.url ?? '');
      const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST' || !match?.[1]) return answer(404, { error: 'POST /terminate/<gatewayId>' });
      const id = match[1];
      if (!this.gateways.has(id)) return answer(200, { terminated: false, how: `${id} is not running under this supervisor (already gone)` });
      this.terminated.push(id);
      void this.killGateway(id).then(
        () => answer(200, { terminated: true, how: `${id} killed (SIGKILL) by the devstack supervisor` }),
        (error: unknown) => answer(500, { error: String(error) }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.supervisor = { server, url };
    return url;
  }

  static async start(options: FleetOptions = {}): Promise<Fleet> {
    const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'homeostat-logs-')));
    const stack = await startStack({ ...options, logDir });
    const publisher = await Publisher.start({
      topics: options.topics ?? ['ticker'],
      messagesPerSecond: options.messagesPerSecond ?? 20,
      minRetain: 10_000,
      ...options.publisher,
    });
    const fleet = new Fleet(stack, publisher, logDir, options);
    try {
      await fleet.startSupervisor();
      await Promise.all(Array.from({ length: options.gateways ?? 3 }, (_, i) => fleet.startGateway(`gw-${i + 1}`)));
      if (options.worker ?? true) await fleet.startWorker();
      if (options.detector ?? false) await fleet.startDetector();
      if (options.api ?? false) await fleet.startApi();
      return fleet;
    } catch (error) {
      await fleet.stop();
      throw error;
    }
  }

  /** Client addresses in gateway-id order (gateways start in parallel, so insertion order varies). */
  get gatewayAddresses(): string[] {
    return [...this.gateways.values()].sort((a, b) => a.id.localeCompare(b.id)).map((g) => g.address);
  }

  /** A signed caller of one gateway's control endpoints. */
  control(id: string, timeoutMs?: number): ControlApiClient {
    return new ControlApiClient(this.gateway(id).controlUrl, this.stack.controlSecret, timeoutMs);
  }

  gateway(id: string): RunningGateway {
    const gateway = this.gateways.get(id);
    if (!gateway) throw new Error(`no gateway ${id} in this fleet`);
    return gateway;
  }

  async startGateway(id: string, env: Record<string, string> = {}): Promise<RunningGateway> {
    const app = await startApp('gateway', {
      name: `gateway ${id}`,
      logDir: this.logDir,
      env: {
        ...this.stack.env,
        GATEWAY_ID: id,
        GATEWAY_CAPACITY: String(this.options.gatewayCapacity ?? 10_000),
        GATEWAY_LEASE_TTL_SECONDS: String(this.options.leaseTtlSeconds ?? 1),
        PUBLISHER_URL: this.publisher.url,
        TOPICS: (this.options.topics ?? ['ticker']).join(','),
        REDIRECT_SECRET: this.redirectSecret,
        FAULT_INJECTION: 'enabled',
        // Every client of the dev stack is 127.0.0.1: a per-IP limit would only count the tests themselves.
        MAX_CONNECTIONS_PER_IP: '0',
        ...this.options.gatewayEnv,
        ...env,
      },
    });
    const gateway = { id, address: String(app.ready.address), controlUrl: String(app.ready.controlUrl), app };
    this.gateways.set(id, gateway);
    this.started.set(id, gateway);
    return gateway;
  }

  /** Kills a gateway without warning (SIGKILL by default): no goodbye, its lease just runs out. */
  async killGateway(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    const { app } = this.gateway(id);
    const killedAt = Date.now();
    app.process.signal(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') {
      await app.process.exited;
      // Dead gateways leave the address list, so clients started later do not try them.
      this.gateways.delete(id);
    }
    return killedAt;
  }

  /** Stops a gateway gracefully (it deregisters) and forgets it, like `killGateway` without the crash. */
  /**
   * Starts a gateway that was killed again, on the ports it had: clients' seed
   * lists name addresses, and a restarted process elsewhere would leave them dangling.
   */
  async restartGateway(id: string, env: Record<string, string> = {}): Promise<RunningGateway> {
    const previous = this.started.get(id);
    if (!previous) throw new Error(`gateway ${id} never ran in this fleet`);
    if (this.gateways.get(id)?.app.process.running) throw new Error(`gateway ${id} is still running`);
    const ports = { GATEWAY_PORT: new URL(previous.address).port, CONTROL_PORT: new URL(previous.controlUrl).port };
    return this.startGateway(id, { ...ports, ...env });
  }

  /** Gateways that ran in this fleet and are no longer running (killed, crashed, or ended by a run). */
  get goneGateways(): string[] {
    return [...this.started.keys()].filter((id) => !this.gateways.get(id)?.app.process.running).sort();
  }

  async stopGateway(id: string): Promise<void> {
    await this.gateway(id).app.process.stop();
    this.gateways.delete(id);
  }

  async startWorker(env: Record<string, string> = {}): Promise<HomeostatProcess> {
    const sweeps = { SWEEP_SCHEDULE: this.options.sweeps ? 'on' : 'off' };
    const supervisor: Record<string, string> = this.supervisor ? { SUPERVISOR_URL: this.supervisor.url } : {};
    this.worker = await startApp('worker', { name: 'worker', logDir: this.logDir, env: { ...this.stack.env, ...sweeps, ...supervisor, ...env } });
    return this.worker;
  }

  async startDetector(id = 'detector-1', env: Record<string, string> = {}): Promise<HomeostatProcess> {
    const detector = await startApp('detector', { name: id, logDir: this.logDir, env: { ...this.stack.env, DETECTOR_ID: id, ...env } });
    this.detectors.push(detector);
    return detector;
  }

  async startApi(env: Record<string, string> = {}, tokens: Pick<ApiProcessOptions, 'tokenFile' | 'roles'> = {}): Promise<RunningApi> {
    this.api = await startApiProcess({ env: { ...this.stack.env, ...env }, logDir: this.logDir, ...tokens });
    return this.api;
  }

  async stop(): Promise<void> {
    const apps = [this.api?.app, this.worker, ...this.detectors, ...[...this.gateways.values()].map((g) => g.app)];
    await Promise.all(apps.map((app) => app?.process.stop()));
    await new Promise((resolve) => (this.supervisor ? this.supervisor.server.close(resolve) : resolve(undefined)));
    await this.publisher.stop();
    await this.stack.stop();
  }
}

import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Duplex } from 'node:stream';
import { type Etcd3 } from 'etcd3';
import { type GatewayRegistration, acceptsSessions } from '#core';
import { FleetRegistry, GatewayStateStore } from '#etcd';
import { type Logger } from '#runtime';
import { ControlAuthenticator } from './auth/control-authenticator.js';
import { ControlChannelServer } from './channel/control-channel-server.js';
import { ControlRoutes, type GatewayStatus } from './control-routes.js';
import { type ControlledGateway, type MigrationTarget } from './controlled-gateway.js';
import { type CrashMode, FaultInjector } from './faults/fault-injector.js';
import { type FaultSpec } from './faults/fault-spec.js';
import { type ErrorBurstPolicy, ErrorBurstMonitor } from './health/error-burst-monitor.js';
import { type WriteBlockPolicy, WriteBlockMonitor } from './health/write-block-monitor.js';
import { BatchBook } from './migration/batch-book.js';
import { Admission } from './membership/admission.js';
import { OwnState, type OwnStateEvent } from './membership/own-state.js';
import { type MembershipEvent, RegistrationKeeper } from './membership/registration-keeper.js';
import { DrainDesk } from './migration/drain.js';
import { RouteTable } from './route-table.js';
import { type TcpCounterSetting, VitalsSampler } from './vitals/vitals-sampler.js';

export interface GatewayAgentOptions {
  readonly gatewayId: string;
  readonly gateway: ControlledGateway;
  /** Shared by the fleet's control plane: every control request and control-channel upgrade is signed with it. */
  readonly controlSecret: string;
  /** How often vitals are published to etcd (default 1 000 ms). */
  readonly vitalsIntervalMs?: number;
  /** How often send buffers and errors are checked for self-reports (default 50 ms). */
  readonly healthSampleMs?: number;
  readonly writeBlock?: WriteBlockPolicy;
  readonly errorBurst?: ErrorBurstPolicy;
  readonly tcpCounters?: TcpCounterSetting;
  /** Fault injection hooks; off unless enabled. `atStart` are injected at once (each may carry `afterMs`). */
  readonly faultInjection?: { readonly enabled: boolean; readonly atStart?: readonly FaultSpec[] };
  /** How a `crash` fault ends the process (tests of the agent itself replace it). */
  readonly crash?: (mode: CrashMode, exitCode: number) => void;
  readonly onError?: (error: Error) => void;
  /** Migration batches and state changes the gateway is told about are logged here. */
  readonly log?: Logger;
}

export interface Registration {
  readonly etcd: Etcd3;
  /** A new etcd client for each re-registration attempt (default: reuse `etcd`). */
  readonly connect?: () => Etcd3;
  /** Without `instanceId`; the agent adds its own (random per process start). */
  readonly registration: Omit<GatewayRegistration, 'instanceId'>;
  readonly leaseTtlSeconds: number;
  /**
   * A registration etcd has not confirmed for this long makes the agent refuse new sessions:
   * it cannot know whether it is still in rotation (default: 3 lease TTLs).
   */
  readonly selfFenceAfterMs?: number;
  /** Registration lost and regained, self-fence, own state changes: for the gateway's log. */
  readonly onMembership?: (event: AgentMembershipEvent) => void;
}

export type AgentMembershipEvent =
  | MembershipEvent
  | OwnStateEvent
  | { readonly kind: 'self-fenced'; readonly unconfirmedForMs: number }
  | { readonly kind: 'self-fence-lifted' }
  | { readonly kind: 'state-unreadable'; readonly error: Error };

/** How often the agent checks that its registration is current (self-fence) and that a fence holds. */
const MEMBERSHIP_CHECK_MS = 250;

/**
 * What every gateway embeds to be part of a Homeostat fleet: its registration
 * and vitals under an etcd lease, the control endpoints and control channel,
 * self-reports (write-blocked, error bursts, shutdown), migration batches and
 * drains, and fault injection for tests and chaos.
 */
export class GatewayAgent {
  readonly channel: ControlChannelServer;
  private readonly routes = new RouteTable();
  private readonly faults: FaultInjector | undefined;
  private readonly control: ControlRoutes;
  private readonly writeBlock: WriteBlockMonitor;
  private readonly errorBurst: ErrorBurstMonitor;
  private readonly vitals: VitalsSampler;
  private readonly drains: DrainDesk;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly admission: Admission;
  private readonly ownState: OwnState;
  /** Random per process start, sent with every registration: the same process returning is told apart from a restart. */
  readonly instanceId = randomUUID();
  private keeper: RegistrationKeeper | undefined;
  private stopFollowing: (() => Promise<void>) | undefined;
  /** After a re-registration the state record is read before a self-fence may be lifted. */
  private stateReadPending = false;
  private publishing = false;
  private onMembership: (event: AgentMembershipEvent) => void = () => undefined;

  constructor(private readonly options: GatewayAgentOptions) {
    const { gateway, gatewayId } = options;
    this.faults = options.faultInjection?.enabled ? new FaultInjector(gateway, options.crash) : undefined;
    const auth = new ControlAuthenticator(options.controlSecret);
    this.channel = new ControlChannelServer(gatewayId, () => this.faultState(), auth);
    this.writeBlock = new WriteBlockMonitor(options.writeBlock ?? { thresholdMs: 500, minBlockedFraction: 0.05 });
    this.errorBurst = new ErrorBurstMonitor(options.errorBurst ?? { count: 20, windowMs: 1_000 });
    this.vitals = new VitalsSampler(gatewayId, this.writeBlock, options.tcpCounters ?? 'auto');
    this.admission = new Admission(gateway);
    this.ownState = new OwnState(gateway, this.admission, (event) => this.onMembership(event));
    // Quarantine, restore and drains go through the admission gate, like the state record and the self-fence.
    const controlled = this.admission.controlView();
    const batches = new BatchBook(controlled, options.log);
    this.drains = new DrainDesk(controlled, batches);
    this.control = new ControlRoutes({
      gateway: controlled,
      batches,
      drains: this.drains,
      routes: this.routes,
      auth,
      faults: this.faults,
      status: () => this.status(),
      log: options.log,
    });
    for (const spec of options.faultInjection?.atStart ?? []) this.faults?.inject(spec);
    this.every(options.healthSampleMs ?? 50, () => this.checkHealth());
  }

  get tcpCounterSource(): 'os' | 'app' {
    return this.vitals.source;
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    return this.control.handle(req, res);
  }

  /**
   * The readiness probe's answer (`/healthz` on the public listener, which Kubernetes
   * probes): not ready while the gateway is hung, so Kubernetes sees what the detector sees.
   */
  readiness(): { ready: boolean; status: string; sessions: number } {
    const hung = this.faultState().hang;
    return { ready: !hung, status: hung ? 'hung' : 'ok', sessions: this.options.gateway.sessionCount };
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    return this.channel.handleUpgrade(request, socket, head);
  }

  /**
   * Joins the fleet: registration under a lease, vitals under the same lease on an interval,
   * and its own state record followed. A lost lease is registered again (see RegistrationKeeper).
   */
  async register({ etcd, connect, registration, leaseTtlSeconds, selfFenceAfterMs, onMembership }: Registration): Promise<void> {
    if (onMembership) this.onMembership = onMembership;
    const states = new GatewayStateStore(etcd);
    await states.initialise(registration.id, Date.now(), registration.controlUrl);
    this.stopFollowing = await states.follow(
      registration.id,
      (state) => this.ownState.apply(state),
      (error) => this.onMembership({ kind: 'state-unreadable', error }),
    );
    this.keeper = new RegistrationKeeper({
      registration: { ...registration, instanceId: this.instanceId },
      leaseTtlSeconds,
      etcd,
      connect: connect ?? (() => etcd),
      onEvent: (event) => this.onKeeperEvent(event),
    });
    await this.keeper.start();
    this.routes.useLoader(() => servingPeers(etcd, registration.id));
    await this.publishVitals();
    this.every(this.options.vitalsIntervalMs ?? 1_000, () => void this.publishVitals());
    const fenceAfterMs = selfFenceAfterMs ?? 3 * leaseTtlSeconds * 1_000;
    this.every(MEMBERSHIP_CHECK_MS, () => this.checkMembership(fenceAfterMs));
  }

  /** Tells every detector the gateway is going away on purpose (SIGTERM), before it does. */
  announceShutdown(): void {
    this.channel.report('shutdown', { sessions: this.options.gateway.sessionCount });
  }

  /** Graceful exit: deregisters so the control plane does not treat it as a failure. */
  async leave(): Promise<void> {
    this.stopTimers();
    await this.stopFollowing?.();
    await this.keeper?.leave();
  }

  close(): void {
    this.stopTimers();
    void this.stopFollowing?.();
    this.keeper?.close();
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.faults?.clear();
    this.channel.close();
  }

  status(): GatewayStatus {
    const { gateway, gatewayId } = this.options;
    const drain = this.drains.status;
    return {
      gatewayId,
      accepting: gateway.isAccepting,
      sessions: gateway.sessionCount,
      capacity: gateway.snapshot().capacity,
      writeBlocked: this.writeBlock.blocked,
      ...(drain ? { drain } : {}),
      faults: this.faults?.view().active ?? [],
      detectors: this.channel.detectors,
      rssBytes: process.memoryUsage.rss(),
      instanceId: this.instanceId,
      registered: this.keeper?.registered ?? false,
      ...(this.ownState.state ? { state: this.ownState.state } : {}),
      refusing: this.admission.reasons,
    };
  }

  private onKeeperEvent(event: MembershipEvent): void {
    this.onMembership(event);
    if (event.kind === 'registered' && event.incarnation > 1) void this.rereadState();
  }

  /**
   * After a re-registration the state record is read with the client that just reached etcd:
   * the watch on the process's own client may still be waiting out etcd3's circuit breaker,
   * and a gateway quarantined (or fenced) while it was away must not take sessions meanwhile.
   */
  private async rereadState(): Promise<void> {
    const keeper = this.keeper;
    if (!keeper) return;
    this.stateReadPending = true;
    try {
      this.ownState.apply(await new GatewayStateStore(keeper.etcd).read(this.options.gatewayId));
    } catch (error) {
      this.onMembership({ kind: 'state-unreadable', error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      this.stateReadPending = false;
    }
  }

  /** Self-fence: refuse new sessions while etcd has not confirmed the registration for too long. */
  private checkMembership(fenceAfterMs: number): void {
    const keeper = this.keeper;
    if (!keeper) return;
    this.ownState.enforce();
    const unconfirmedForMs = Date.now() - keeper.lastRenewedAt;
    if (unconfirmedForMs > fenceAfterMs) {
      if (this.admission.hold('self-fenced')) this.onMembership({ kind: 'self-fenced', unconfirmedForMs });
    } else if (keeper.registered && !this.stateReadPending && this.admission.release('self-fenced')) {
      this.onMembership({ kind: 'self-fence-lifted' });
    }
  }

  private faultState(): { writeBlock: boolean; latencyMs: number; hang: boolean } {
    return this.faults?.state ?? { writeBlock: false, latencyMs: 0, hang: false };
  }

  private checkHealth(): void {
    if (this.faultState().hang) return;
    const now = Date.now();
    const snapshot = this.options.gateway.snapshot();
    const change = this.writeBlock.sample(snapshot, now);
    if (change) this.channel.report(change.kind, change.detail);
    const burst = this.errorBurst.sample(snapshot.errors, now);
    if (burst) this.channel.report('error-burst', burst);
  }

  private async publishVitals(): Promise<void> {
    // A hung gateway publishes nothing; a slow etcd is not queued up against; a lost lease is being replaced.
    const lease = this.keeper?.lease;
    if (!lease || this.publishing || this.faultState().hang) return;
    this.publishing = true;
    try {
      await lease.publishVitals(this.vitals.sample(this.options.gateway.snapshot(), Date.now()));
      this.keeper?.noteRenewed(lease);
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.publishing = false;
    }
  }

  private every(ms: number, action: () => void): void {
    const timer = setInterval(action, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

/** Serving gateways of the fleet other than `selfId`, as migration targets. */
const servingPeers = async (etcd: Etcd3, selfId: string): Promise<MigrationTarget[]> => {
  const [gateways, states] = await Promise.all([new FleetRegistry(etcd).list(), new GatewayStateStore(etcd).list()]);
  return gateways
    .filter((g) => g.id !== selfId && !g.leaving && acceptsSessions(states.get(g.id)))
    .map((g) => ({ gatewayId: g.id, address: g.address }));
};

import { type Etcd3 } from 'etcd3';
import { type FleetMember, type GatewayRegistration, NEVER_STALLED, type StalledWithin, isSameInstance } from '#core';
import { type FleetEvent, type FleetRegistry, watchVitals } from '#etcd';
import { type Logger } from '#runtime';
import { type CorruptRecordCounter } from './corrupt-records.js';
import { type DetectionResponder } from './detection-responder.js';
import { GatewayMonitor } from './gateway-monitor.js';
import { LapsedLeases, type LapsedLeasesSettings } from './lapsed-leases.js';
import { type LivePolicy } from './live-policy.js';
import { type ObserverShard, WHOLE_FLEET } from './observer-shard.js';
import { type ObserverViewPublisher } from './observer-view-publisher.js';
import { type RttLevelPublisher } from './rtt-level-publisher.js';
import { type TimelineRecorder } from './timeline-recorder.js';

export interface FleetDetectorDependencies {
  readonly etcd: Etcd3;
  readonly registry: FleetRegistry;
  readonly live: LivePolicy;
  readonly responder: DetectionResponder;
  readonly log: Logger;
  /** Where unusable registration and vitals records are logged and counted. */
  readonly corrupt: CorruptRecordCounter;
  readonly rttSpikeFloorMs: number;
  readonly connectTimeoutMs: number;
  /** Signs each control-channel upgrade (the fleet's CONTROL_SECRET). */
  readonly controlSecret: string;
  /** Which gateways this detector observes (default: all of them). */
  readonly shard?: ObserverShard;
  /** Publishes each gateway's RTT level for the workflow and the sweep; off when absent. */
  readonly rttLevels?: RttLevelPublisher;
  /** How a lapsed lease of a gateway that still answers is followed (defaults: DEFAULT_LAPSE_SETTINGS). */
  readonly lapse?: LapsedLeasesSettings;
  /** Records each gateway's compacted timeline for the policy lab; off when absent. */
  readonly timeline?: TimelineRecorder;
  /** Fault injection (tests, chaos): gateways whose probes fail as if the network between dropped everything. */
  readonly partitionedFrom?: ReadonlySet<string>;
  /** Publishes this detector's view of each gateway it observes, for the others' quorum checks; off when absent. */
  readonly views?: ObserverViewPublisher;
  /** The detector's own stalls (a LoopStallWatch), not held against its gateways; none known when absent. */
  readonly stalledWithin?: StalledWithin;
}

/**
 * Keeps one monitor per registered gateway of its shard, following joins and leaves in etcd:
 * a gateway that left on purpose is dropped quietly; one whose lease ran out and that no
 * longer answers gets a last decision with that fact (the backstop), while one that still
 * answers is kept and waited for (etcd was away, not the gateway); a re-registration by the
 * same process keeps what its monitor learned, one by a new process starts over. When the
 * shard changes (a detector joined or left), only the gateways that changed hands are
 * started or stopped here.
 */
export class FleetDetector {
  private readonly monitors = new Map<string, GatewayMonitor>();
  /** Every registered gateway, watched here or not: a reshuffle may hand any of them over. */
  private readonly registered = new Map<string, GatewayRegistration>();
  private readonly shard: ObserverShard;
  private readonly lapsed: LapsedLeases;
  private stops: (() => Promise<void>)[] = [];

  constructor(private readonly deps: FleetDetectorDependencies) {
    this.shard = deps.shard ?? WHOLE_FLEET;
    this.lapsed = new LapsedLeases(deps.log, deps.lapse);
    deps.live.onChange((next, previous) => {
      if (next.detector.pingIntervalMs === previous.detector.pingIntervalMs) return;
      for (const monitor of this.monitors.values()) monitor.reschedule();
    });
    this.shard.onChange(() => this.followShard());
  }

  get gatewayIds(): string[] {
    return [...this.monitors.keys()].sort();
  }

  /** Every registered gateway with its zone, watched here or not (storm mode's fleet). */
  get fleet(): FleetMember[] {
    return [...this.registered.values()].map((g) => ({ id: g.id, zone: g.zone }));
  }

  async start(): Promise<void> {
    const { registry, corrupt } = this.deps;
    const onCorruptRegistration = corrupt.handler('registration');
    // Watch first, then list: a gateway joining in between is seen twice, never missed.
    this.stops.push(await registry.watch((event) => this.onFleetEvent(event), onCorruptRegistration));
    for (const gateway of await registry.list(onCorruptRegistration)) {
      if (gateway.leaving || this.registered.has(gateway.id)) continue;
      this.registered.set(gateway.id, gateway);
      if (this.shard.owns(gateway.id)) this.add(gateway);
    }
    this.stops.push(
      await watchVitals(this.deps.etcd, {
        onVitals: (vitals) => this.monitors.get(vitals.gatewayId)?.onVitals(vitals),
        onGone: () => undefined,
        onError: corrupt.handler('vitals'),
      }),
    );
  }

  /** Whether the fast path shows this gateway alive now (false for one not watched). */
  answering(gatewayId: string): boolean {
    return this.monitors.get(gatewayId)?.answering ?? false;
  }

  /** Gateways whose lease lapsed while they still answer, waited for. */
  get lapsedGatewayIds(): string[] {
    return this.lapsed.following;
  }

  async stop(): Promise<void> {
    this.lapsed.stop();
    await Promise.all(this.stops.map((stop) => stop()));
    for (const monitor of this.monitors.values()) monitor.stop();
    this.monitors.clear();
  }

  private onFleetEvent(event: FleetEvent): void {
    switch (event.kind) {
      case 'registered':
        this.registered.set(event.gateway.id, event.gateway);
        if (!this.shard.owns(event.gateway.id)) return;
        return this.onRegistered(event.gateway);
      case 'left':
        this.registered.delete(event.gatewayId);
        this.deps.log.info({ event: 'gateway-left', gatewayId: event.gatewayId }, 'gateway left');
        this.lapsed.forget(event.gatewayId);
        return this.remove(event.gatewayId);
      case 'vanished':
        this.registered.delete(event.gatewayId);
        if (!this.shard.owns(event.gatewayId)) return;
        return this.onVanished(event.gatewayId, event.last);
    }
  }

  private onRegistered(gateway: GatewayRegistration): void {
    this.lapsed.registered(gateway.id);
    const known = this.monitors.get(gateway.id);
    if (!known) return this.add(gateway);
    const sameInstance = isSameInstance(known.current, gateway);
    this.deps.log.info({ event: 'gateway-reregistered', gatewayId: gateway.id, sameInstance }, 'gateway registered again');
    if (sameInstance) return known.refresh(gateway);
    this.deps.responder.forget(gateway.id);
    return known.replace(gateway);
  }

  private onVanished(gatewayId: string, last: GatewayRegistration | undefined): void {
    const monitor = this.monitors.get(gatewayId);
    const gone = (found: GatewayMonitor | undefined): void => {
      this.deps.log.info({ event: 'gateway-vanished', gatewayId }, 'gateway lease expired');
      found?.leaseRanOut();
      this.remove(gatewayId);
    };
    if (!monitor) return gone(last ? this.create(last) : undefined);
    const goneAfterAll = (): void => {
      // Signals seen while it was unregistered started nothing (the responder skips unregistered
      // gateways) yet count as the open incident: the lease verdict must not be swallowed by it.
      this.deps.responder.forget(gatewayId);
      gone(monitor);
    };
    this.lapsed.lapsed(gatewayId, { answers: () => monitor.answering, onGone: goneAfterAll });
  }

  /** Starts watching the gateways handed to this detector and stops those handed away. */
  private followShard(): void {
    for (const [id, gateway] of this.registered) {
      const owned = this.shard.owns(id);
      if (owned && !this.monitors.has(id)) this.add(gateway);
      if (!owned && this.monitors.has(id)) {
        this.deps.log.info({ event: 'gateway-handed-over', gatewayId: id }, 'another detector observes this gateway now');
        this.remove(id);
      }
    }
  }

  private create(gateway: GatewayRegistration): GatewayMonitor {
    const { live, responder, log, timeline } = this.deps;
    const monitor: GatewayMonitor = new GatewayMonitor(gateway, {
      policy: () => live.policy,
      shadow: () => live.shadowFlag,
      rttSpikeFloorMs: this.deps.rttSpikeFloorMs,
      connectTimeoutMs: this.deps.connectTimeoutMs,
      controlSecret: this.deps.controlSecret,
      stalledWithin: this.deps.stalledWithin ?? NEVER_STALLED,
      ...(this.deps.partitionedFrom ? { partitionedFrom: this.deps.partitionedFrom } : {}),
      log,
      onDecision: (gatewayId, snapshot, decision) => {
        // The view first: another observer's quorum check may be reading it right now.
        this.deps.views?.offer(gatewayId, monitor.current.instanceId ?? null, monitor.answering, decision.signals[0]?.classification ?? null);
        responder.respond(gatewayId, snapshot, decision);
        timeline?.observe(gatewayId, monitor.streamSinceMs, snapshot, decision);
      },
      onHealth: (gatewayId, health, atMs) => this.deps.rttLevels?.offer(gatewayId, health, live.policy, atMs),
    });
    return monitor;
  }

  private add(gateway: GatewayRegistration): void {
    const monitor = this.create(gateway);
    this.monitors.set(gateway.id, monitor);
    this.deps.log.info({ event: 'gateway-joined', gatewayId: gateway.id, controlUrl: gateway.controlUrl }, 'watching gateway');
    monitor.start();
  }

  private remove(gatewayId: string): void {
    this.deps.rttLevels?.forget(gatewayId);
    this.deps.views?.forget(gatewayId);
    this.monitors.get(gatewayId)?.stop();
    this.monitors.delete(gatewayId);
  }
}

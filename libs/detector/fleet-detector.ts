import { type Etcd3 } from 'etcd3';
import { type GatewayRegistration } from '#core';
import { type FleetEvent, type FleetRegistry, watchVitals } from '#etcd';
import { type Logger } from '#runtime';
import { type CorruptRecordCounter } from './corrupt-records.js';
import { type DetectionResponder } from './detection-responder.js';
import { GatewayMonitor } from './gateway-monitor.js';
import { type LivePolicy } from './live-policy.js';
import { type ObserverShard, WHOLE_FLEET } from './observer-shard.js';
import { type RttLevelPublisher } from './rtt-level-publisher.js';

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
}

/**
 * Keeps one monitor per registered gateway of its shard, following joins and leaves in etcd:
 * a gateway that left on purpose is dropped quietly, one whose lease ran out gets a last
 * decision with that fact (the backstop), and a re-registered id starts over as a new
 * process. When the shard changes (a detector joined or left), only the gateways that
 * changed hands are started or stopped here.
 */
export class FleetDetector {
  private readonly monitors = new Map<string, GatewayMonitor>();
  /** Every registered gateway, watched here or not: a reshuffle may hand any of them over. */
  private readonly registered = new Map<string, GatewayRegistration>();
  private readonly shard: ObserverShard;
  private stops: (() => Promise<void>)[] = [];

  constructor(private readonly deps: FleetDetectorDependencies) {
    this.shard = deps.shard ?? WHOLE_FLEET;
    deps.live.onChange((next, previous) => {
      if (next.detector.pingIntervalMs === previous.detector.pingIntervalMs) return;
      for (const monitor of this.monitors.values()) monitor.reschedule();
    });
    this.shard.onChange(() => this.followShard());
  }

  get gatewayIds(): string[] {
    return [...this.monitors.keys()].sort();
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

  async stop(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
    for (const monitor of this.monitors.values()) monitor.stop();
    this.monitors.clear();
  }

  private onFleetEvent(event: FleetEvent): void {
    switch (event.kind) {
      case 'registered': {
        this.registered.set(event.gateway.id, event.gateway);
        if (!this.shard.owns(event.gateway.id)) return;
        const known = this.monitors.get(event.gateway.id);
        if (!known) return this.add(event.gateway);
        this.deps.log.info({ event: 'gateway-reregistered', gatewayId: event.gateway.id }, 'gateway registered again');
        this.deps.responder.forget(event.gateway.id);
        return known.replace(event.gateway);
      }
      case 'left':
        this.registered.delete(event.gatewayId);
        this.deps.log.info({ event: 'gateway-left', gatewayId: event.gatewayId }, 'gateway left');
        return this.remove(event.gatewayId);
      case 'vanished': {
        this.registered.delete(event.gatewayId);
        if (!this.shard.owns(event.gatewayId)) return;
        this.deps.log.info({ event: 'gateway-vanished', gatewayId: event.gatewayId }, 'gateway lease expired');
        const monitor = this.monitors.get(event.gatewayId) ?? (event.last ? this.create(event.last) : undefined);
        monitor?.leaseRanOut();
        return this.remove(event.gatewayId);
      }
    }
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
    const { live, responder, log } = this.deps;
    return new GatewayMonitor(gateway, {
      policy: () => live.policy,
      shadow: () => live.shadowFlag,
      rttSpikeFloorMs: this.deps.rttSpikeFloorMs,
      connectTimeoutMs: this.deps.connectTimeoutMs,
      controlSecret: this.deps.controlSecret,
      log,
      onDecision: (gatewayId, snapshot, decision) => responder.respond(gatewayId, snapshot, decision),
      onHealth: (gatewayId, health, atMs) => this.deps.rttLevels?.offer(gatewayId, health, live.policy, atMs),
    });
  }

  private add(gateway: GatewayRegistration): void {
    const monitor = this.create(gateway);
    this.monitors.set(gateway.id, monitor);
    this.deps.log.info({ event: 'gateway-joined', gatewayId: gateway.id, controlUrl: gateway.controlUrl }, 'watching gateway');
    monitor.start();
  }

  private remove(gatewayId: string): void {
    this.deps.rttLevels?.forget(gatewayId);
    this.monitors.get(gatewayId)?.stop();
    this.monitors.delete(gatewayId);
  }
}

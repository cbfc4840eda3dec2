import { type Etcd3 } from 'etcd3';
import { type GatewayRegistration } from '#core';
import { type FleetEvent, type FleetRegistry, watchVitals } from '#etcd';
import { type Logger } from '#runtime';
import { type CorruptRecordCounter } from './corrupt-records.js';
import { type DetectionResponder } from './detection-responder.js';
import { GatewayMonitor } from './gateway-monitor.js';
import { type LivePolicy } from './live-policy.js';

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
}

/**
 * Keeps one monitor per registered gateway, following joins and leaves in etcd: a gateway
 * that left on purpose is dropped quietly, one whose lease ran out gets a last decision
 * with that fact (the backstop), and a re-registered id starts over as a new process.
 */
export class FleetDetector {
  private readonly monitors = new Map<string, GatewayMonitor>();
  private stops: (() => Promise<void>)[] = [];

  constructor(private readonly deps: FleetDetectorDependencies) {
    deps.live.onChange((next, previous) => {
      if (next.detector.pingIntervalMs === previous.detector.pingIntervalMs) return;
      for (const monitor of this.monitors.values()) monitor.reschedule();
    });
  }

  get gatewayIds(): string[] {
    return [...this.monitors.keys()].sort();
  }

  async start(): Promise<void> {
    const { registry, corrupt } = this.deps;
    const onCorruptRegistration = corrupt.handler('registration');
    // Watch first, then list: a gateway joining in between is seen twice, never missed.
    this.stops.push(await registry.watch((event) => this.onFleetEvent(event), onCorruptRegistration));
    for (const gateway of await registry.list(onCorruptRegistration)) if (!gateway.leaving && !this.monitors.has(gateway.id)) this.add(gateway);
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
        const known = this.monitors.get(event.gateway.id);
        if (!known) return this.add(event.gateway);
        this.deps.log.info({ event: 'gateway-reregistered', gatewayId: event.gateway.id }, 'gateway registered again');
        this.deps.responder.forget(event.gateway.id);
        return known.replace(event.gateway);
      }
      case 'left':
        this.deps.log.info({ event: 'gateway-left', gatewayId: event.gatewayId }, 'gateway left');
        return this.remove(event.gatewayId);
      case 'vanished': {
        this.deps.log.info({ event: 'gateway-vanished', gatewayId: event.gatewayId }, 'gateway lease expired');
        const monitor = this.monitors.get(event.gatewayId) ?? (event.last ? this.create(event.last) : undefined);
        monitor?.leaseRanOut();
        return this.remove(event.gatewayId);
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
    });
  }

  private add(gateway: GatewayRegistration): void {
    const monitor = this.create(gateway);
    this.monitors.set(gateway.id, monitor);
    this.deps.log.info({ event: 'gateway-joined', gatewayId: gateway.id, controlUrl: gateway.controlUrl }, 'watching gateway');
    monitor.start();
  }

  private remove(gatewayId: string): void {
    this.monitors.get(gatewayId)?.stop();
    this.monitors.delete(gatewayId);
  }
}

import { Injectable } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { FleetRegistry, GatewayStateStore } from '#etcd';

export class UnknownGatewayError extends Error {
  constructor(gatewayId: string) {
    super(`gateway ${gatewayId} is not registered and has no recorded state`);
    this.name = 'UnknownGatewayError';
  }
}

/** A gateway is known while registered, and afterwards through its recorded state. */
@Injectable()
export class KnownGateways {
  private readonly registry: FleetRegistry;
  private readonly states: GatewayStateStore;

  constructor(etcd: Etcd3) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
  }

  async assertKnown(gatewayId: string): Promise<void> {
    const [registration, state] = await Promise.all([this.registry.get(gatewayId), this.states.get(gatewayId)]);
    if (!registration && !state) throw new UnknownGatewayError(gatewayId);
  }
}

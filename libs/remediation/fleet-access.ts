import { type Etcd3 } from 'etcd3';
import { acceptsSessions } from '#core';
import { FleetRegistry, GatewayStateStore, QuarantineSet, RemediationHistory } from '#etcd';
import { AgentControlClient } from './agent-control-client.js';

/** The etcd stores and agent clients the activities share. */
export class FleetAccess {
  readonly registry: FleetRegistry;
  readonly states: GatewayStateStore;
  readonly quarantine: QuarantineSet;
  readonly history: RemediationHistory;

  constructor(readonly etcd: Etcd3) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
    this.quarantine = new QuarantineSet(etcd);
    this.history = new RemediationHistory(etcd);
  }

  /** The gateway's agent, when it is registered (a vanished gateway has none). */
  async agentFor(gatewayId: string): Promise<AgentControlClient | undefined> {
    const registration = await this.registry.get(gatewayId);
    return registration ? new AgentControlClient(registration.controlUrl) : undefined;
  }

  /** Serving gateways other than `exceptId`, as redirect targets. */
  async servingTargets(exceptId?: string): Promise<{ gatewayId: string; address: string }[]> {
    const [gateways, stateMap] = await Promise.all([this.registry.list(), this.states.list()]);
    return gateways
      .filter((g) => g.id !== exceptId && !g.leaving && acceptsSessions(stateMap.get(g.id)?.state))
      .map((g) => ({ gatewayId: g.id, address: g.address }));
  }
}

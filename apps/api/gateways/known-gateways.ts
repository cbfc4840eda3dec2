import { Injectable } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type GatewayRegistration, type GatewayStateRecord, isValidGatewayId } from '#core';
import { FleetRegistry, GatewayStateStore } from '#etcd';
import { RequestValidationError } from '../problems/request-validation-error.js';

/** A gateway as operators see it: its registration (while its lease lives) and its routing state (e.g. `needs-human`). */
export interface GatewayView {
  readonly gatewayId: string;
  readonly registered: boolean;
  readonly registration?: GatewayRegistration;
  readonly state?: GatewayStateRecord;
}

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
    await this.view(gatewayId);
  }

  /** One gateway; 400 for a malformed id, 404 for one never seen. */
  async view(gatewayId: string): Promise<GatewayView> {
    if (!isValidGatewayId(gatewayId)) throw new RequestValidationError('path', [{ field: 'gatewayId', message: 'must be a gateway id (lowercase letters, digits, . _ -)' }]);
    const [registration, state] = await Promise.all([this.registry.get(gatewayId), this.states.get(gatewayId)]);
    if (!registration && !state) throw new UnknownGatewayError(gatewayId);
    return viewOf(gatewayId, registration, state);
  }

  /** Every gateway registered or with a recorded state (a dead one held for a human included), by id. */
  async list(): Promise<GatewayView[]> {
    const [registrations, states] = await Promise.all([this.registry.list(), this.states.list()]);
    const byId = new Map(registrations.map((r) => [r.id, r]));
    const ids = [...new Set([...byId.keys(), ...states.keys()])].sort();
    return ids.map((id) => viewOf(id, byId.get(id), states.get(id)));
  }
}

const viewOf = (gatewayId: string, registration: GatewayRegistration | undefined, state: GatewayStateRecord | undefined): GatewayView => ({
  gatewayId,
  registered: registration !== undefined,
  ...(registration ? { registration } : {}),
  ...(state ? { state } : {}),
});

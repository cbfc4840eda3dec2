import { type Etcd3 } from 'etcd3';
import { type GatewayRegistration } from '#core';
import { FleetRegistry, type GatewayLease, GatewayStateStore } from '#etcd';

export interface GatewayAgentOptions {
  readonly etcd: Etcd3;
  readonly registration: GatewayRegistration;
  readonly leaseTtlSeconds: number;
  /** Called when etcd says the lease is gone while the gateway still runs. */
  readonly onLeaseLost: (error: Error) => void;
}

/**
 * What every gateway embeds to be part of a Homeostat fleet: its registration
 * under an etcd lease (the lease expiring is how a dead gateway is noticed), and
 * its initial routing state.
 */
export class GatewayAgent {
  private constructor(private readonly lease: GatewayLease) {}

  static async start(options: GatewayAgentOptions): Promise<GatewayAgent> {
    await new GatewayStateStore(options.etcd).initialise(options.registration.id, Date.now());
    const lease = await new FleetRegistry(options.etcd).register(options.registration, options.leaseTtlSeconds);
    lease.onLost(options.onLeaseLost);
    return new GatewayAgent(lease);
  }

  /** Graceful exit: deregisters so the control plane does not treat it as a failure. */
  leave(): Promise<void> {
    return this.lease.leave();
  }
}

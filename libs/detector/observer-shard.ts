import { type ObserverMember, observersFor, observes } from '#core';

/** Which gateways this detector watches; the fleet detector follows it as it changes. */
export interface ObserverShard {
  owns(gatewayId: string): boolean;
  /** The gateway's observers among the live detectors; undefined until the live detectors are known. */
  observersOf(gatewayId: string): readonly string[] | undefined;
  onChange(listener: () => void): void;
}

/** Every gateway: one detector alone, or a test rig. */
export const WHOLE_FLEET: ObserverShard = { owns: () => true, observersOf: () => [], onChange: () => undefined };

/**
 * This detector's share of the fleet: the gateways whose `k` rendezvous observers among the
 * live detectors include it. Recomputed locally whenever the roster or `k` changes; every
 * detector reaches the same assignment from the same roster, so no coordination is needed.
 */
export class RendezvousShard implements ObserverShard {
  private members: readonly ObserverMember[] = [];
  private k: number;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly selfId: string,
    observers: number,
  ) {
    this.k = observers;
  }

  owns(gatewayId: string): boolean {
    // Until the roster is read, a detector watches everything rather than nothing.
    if (!this.members.some((m) => m.id === this.selfId)) return true;
    return observes(this.selfId, gatewayId, this.members, this.k);
  }

  observersOf(gatewayId: string): readonly string[] | undefined {
    if (!this.members.some((m) => m.id === this.selfId)) return undefined;
    return observersFor(gatewayId, this.members, this.k).map((m) => m.id);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  setMembers(members: readonly ObserverMember[]): void {
    this.members = members;
    this.notify();
  }

  setObservers(k: number): void {
    if (k === this.k) return;
    this.k = k;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

import { stableHash } from './stable-hash.js';

/** A live detector as the fleet sees it: registered under its lease at `/homeostat/detectors/<id>`. */
export interface ObserverMember {
  readonly id: string;
  readonly zone: string;
}

/** The weight of `observer` for `gatewayId`: highest wins (rendezvous / highest-random-weight hashing). */
const weight = (observerId: string, gatewayId: string): number => stableHash(`${observerId}\u0000${gatewayId}`);

const byWeightFor =
  (gatewayId: string) =>
  (a: ObserverMember, b: ObserverMember): number =>
    weight(b.id, gatewayId) - weight(a.id, gatewayId) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The `k` observers of a gateway among the live detectors: by rendezvous weight, preferring
 * a zone not yet covered, then the heaviest of the rest. Each gateway's choice depends only
 * on the members' ids and zones, so every detector computes the same answer on its own, and
 * a detector joining or leaving changes the observers of only the gateways it is (or was)
 * an observer of — nothing else is reshuffled.
 */
export const observersFor = (gatewayId: string, members: readonly ObserverMember[], k: number): ObserverMember[] => {
  const ranked = [...members].sort(byWeightFor(gatewayId));
  const chosen: ObserverMember[] = [];
  const zones = new Set<string>();
  for (const member of ranked) {
    if (chosen.length >= k) break;
    if (zones.has(member.zone)) continue;
    chosen.push(member);
    zones.add(member.zone);
  }
  for (const member of ranked) {
    if (chosen.length >= k) break;
    if (!chosen.includes(member)) chosen.push(member);
  }
  return chosen;
};

/** Whether `observerId` is one of the gateway's observers. */
export const observes = (observerId: string, gatewayId: string, members: readonly ObserverMember[], k: number): boolean =>
  observersFor(gatewayId, members, k).some((m) => m.id === observerId);

import { z } from 'zod';
import type { StormSettings } from '../policy/guardrails-policy.js';

/** A gateway some observer saw down (crash or hang), and since when. */
export interface StormSuspect {
  readonly gatewayId: string;
  readonly sinceMs: number;
}

export interface FleetMember {
  readonly id: string;
  readonly zone: string;
}

/** The report keeps this many suspects' names; the count says the rest. */
const MAX_NAMED_SUSPECTS = 50;

/** `/homeostat/storm` while automatic removals are paused: read from etcd, so parsed and bounded. */
export const StormStateSchema = z.strictObject({
  sinceMs: z.number().int().nonnegative(),
  /** `fleet`, or `zone:<name>` for the zone that tipped it. */
  scope: z.string().min(1).max(200),
  /** The gateways suspect when it began or since, newest last (bounded). */
  suspects: z.array(z.string().min(1).max(128)).max(MAX_NAMED_SUSPECTS),
  lastSuspectAtMs: z.number().int().nonnegative(),
  reason: z.string().min(1).max(500),
});
export type StormState = z.infer<typeof StormStateSchema>;

/** Why an automatic removal did not start: the same words from every trigger, so logs and runs read alike. */
export const stormPauseReason = (storm: Pick<StormState, 'sinceMs' | 'reason'>): string =>
  `storm mode since ${new Date(storm.sinceMs).toISOString()}: ${storm.reason}; automatic removals paused`;

/** `/homeostat/storm-lifted`: the last lift; suspects from before it do not start a storm again. */
export const StormLiftSchema = z.strictObject({
  atMs: z.number().int().nonnegative(),
  /** `quiet` (lifted by itself) or the admin who lifted it. */
  by: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
});
export type StormLift = z.infer<typeof StormLiftSchema>;

export const MAX_STORM_RECORD_BYTES = 16 * 1_024;

export type StormStep =
  | { readonly kind: 'calm' }
  | { readonly kind: 'began' | 'continues'; readonly storm: StormState }
  | { readonly kind: 'lifted'; readonly reason: string };

const pct = (x: number): string => `${Math.round(x * 1_000) / 10} %`;

/** Which scope (the fleet first, then zones by name) has more of its gateways suspect than the policy allows. */
const tipped = (members: readonly FleetMember[], suspect: ReadonlySet<string>, settings: StormSettings): { scope: string; reason: string } | undefined => {
  const over = (group: readonly FleetMember[], fraction: number) => {
    const count = group.filter((m) => suspect.has(m.id)).length;
    return count >= settings.minSuspects && count > fraction * group.length ? count : undefined;
  };
  const fleet = over(members, settings.fleetFraction);
  if (fleet !== undefined) return { scope: 'fleet', reason: `${fleet} of ${members.length} gateways suspect within ${settings.windowMs} ms (over ${pct(settings.fleetFraction)} of the fleet)` };
  for (const zone of [...new Set(members.map((m) => m.zone))].sort()) {
    const group = members.filter((m) => m.zone === zone);
    const count = over(group, settings.zoneFraction);
    if (count !== undefined) return { scope: `zone:${zone}`, reason: `${count} of ${group.length} gateways of zone ${zone} suspect within ${settings.windowMs} ms (over ${pct(settings.zoneFraction)} of the zone)` };
  }
  return undefined;
};

/**
 * Storm mode: when more than the policy's fraction of the fleet, or of one zone, turns suspect
 * within `windowMs`, something bigger than one gateway is wrong (a zone outage, the network,
 * Homeostat's own view), and removing them one by one would take the fleet down. Automatic
 * removals pause until no new gateway turned suspect for `quietMs` (or an admin lifts it).
 * Pure: the caller gathers the suspects and the fleet, and keeps the state.
 */
export const assessStorm = (input: {
  readonly fleet: readonly FleetMember[];
  readonly suspects: readonly StormSuspect[];
  readonly current: StormState | null;
  readonly atMs: number;
  readonly settings: StormSettings;
}): StormStep => {
  const { fleet, current, atMs, settings } = input;
  const known = new Set(fleet.map((m) => m.id));
  const recent = input.suspects.filter((s) => known.has(s.gatewayId) && atMs - s.sinceMs <= settings.windowMs && s.sinceMs <= atMs);
  const suspect = new Set(recent.map((s) => s.gatewayId));
  const newest = recent.reduce((latest, s) => Math.max(latest, s.sinceMs), Number.NEGATIVE_INFINITY);
  const storm = tipped(fleet, suspect, settings);
  if (!current) {
    if (!storm) return { kind: 'calm' };
    const ordered = [...recent].sort((a, b) => a.sinceMs - b.sinceMs).map((s) => s.gatewayId);
    return { kind: 'began', storm: { sinceMs: atMs, scope: storm.scope, suspects: [...new Set(ordered)].slice(-MAX_NAMED_SUSPECTS), lastSuspectAtMs: newest, reason: storm.reason } };
  }
  const lastSuspectAtMs = Math.max(current.lastSuspectAtMs, newest);
  if (!storm && atMs - lastSuspectAtMs >= settings.quietMs) {
    return { kind: 'lifted', reason: `no gateway turned suspect for ${Math.round((atMs - lastSuspectAtMs) / 1_000)} s (quiet period ${settings.quietMs} ms)` };
  }
  const suspects = [...new Set([...current.suspects, ...recent.map((s) => s.gatewayId)])].slice(-MAX_NAMED_SUSPECTS);
  return { kind: 'continues', storm: { ...current, suspects, lastSuspectAtMs } };
};

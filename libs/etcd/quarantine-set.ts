import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { type BlastRadiusVerdict, acceptsSessions, checkBlastRadius } from '#core';
import { FleetRegistry } from './fleet-registry.js';
import { GatewayStateStore } from './gateway-state-store.js';
import { parseRecord } from './json-value.js';
import { QUARANTINE_KEY } from './keys.js';

const QuarantineMembersSchema = z.record(z.string(), z.object({ owner: z.string(), since: z.number() }));
type QuarantineMembers = z.infer<typeof QuarantineMembersSchema>;

export class QuarantineContentionError extends Error {
  constructor() {
    super('the quarantine set kept changing under us; giving up this attempt (Temporal retries the activity)');
    this.name = 'QuarantineContentionError';
  }
}

/**
 * Which gateways are out of rotation, as one etcd key changed only by
 * compare-and-swap on its revision: two runs deciding at once cannot both pass
 * the blast-radius check, because the second one's write fails and re-reads.
 */
export class QuarantineSet {
  private readonly registry: FleetRegistry;
  private readonly states: GatewayStateStore;

  constructor(private readonly etcd: Etcd3) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
  }

  async members(): Promise<QuarantineMembers> {
    return (await this.read()).members;
  }

  /** Adds `gatewayId` if the blast radius allows it; idempotent for the same gateway. */
  async claim(gatewayId: string, owner: string, maxQuarantinedFraction: number, now: number): Promise<BlastRadiusVerdict> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const { members, revision } = await this.read();
      if (members[gatewayId]) return { allowed: true };
      const verdict = await this.judge(gatewayId, members, maxQuarantinedFraction);
      if (!verdict.allowed) return verdict;
      if (await this.swap(revision, { ...members, [gatewayId]: { owner, since: now } })) return verdict;
    }
    throw new QuarantineContentionError();
  }

  /** What `claim` would answer now, claiming nothing (a dry run asks this). */
  async check(gatewayId: string, maxQuarantinedFraction: number): Promise<BlastRadiusVerdict> {
    const { members } = await this.read();
    return members[gatewayId] ? { allowed: true } : this.judge(gatewayId, members, maxQuarantinedFraction);
  }

  private async judge(gatewayId: string, members: QuarantineMembers, maxQuarantinedFraction: number): Promise<BlastRadiusVerdict> {
    const [gateways, stateMap] = await Promise.all([this.registry.list(), this.states.list()]);
    return checkBlastRadius({
      candidate: gatewayId,
      // Members are the gateways the fleet knows, dead ones included: two of three failing is 67 % out.
      fleet: [...gateways.map((g) => g.id), ...stateMap.keys()],
      serving: gateways.filter((g) => !g.leaving && acceptsSessions(stateMap.get(g.id))).map((g) => g.id),
      quarantined: Object.keys(members),
      maxQuarantinedFraction,
    });
  }

  /** Takes `gatewayId` out of the set (restore, or compensation); idempotent. */
  async release(gatewayId: string): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const { members, revision } = await this.read();
      if (!members[gatewayId]) return;
      const { [gatewayId]: _released, ...rest } = members;
      if (await this.swap(revision, rest)) return;
    }
    throw new QuarantineContentionError();
  }

  private async read(): Promise<{ members: QuarantineMembers; revision: string }> {
    const response = await this.etcd.get(QUARANTINE_KEY).exec();
    const kv = response.kvs[0];
    if (!kv) return { members: {}, revision: '0' };
    return { members: parseRecord(QuarantineMembersSchema, QUARANTINE_KEY, kv.value.toString()), revision: kv.mod_revision };
  }

  /** Writes `members` only if the key is still at `revision` ('0': still absent). */
  private async swap(revision: string, members: QuarantineMembers): Promise<boolean> {
    const result = await this.etcd
      .if(QUARANTINE_KEY, 'Mod', '==', revision)
      .then(this.etcd.put(QUARANTINE_KEY).value(JSON.stringify(members)))
      .commit();
    return result.succeeded;
  }
}

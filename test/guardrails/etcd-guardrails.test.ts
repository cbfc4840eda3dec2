import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type Guardrails } from '#core';
import { type EtcdServer, startEtcd } from '#devstack';
import { GatewayStateStore, OperationClaims, RemediationHistory, connectEtcd } from '#etcd';

const guardrails = (maxRemediations: number): Guardrails => ({
  ...DEFAULT_POLICY.guardrails,
  rateLimit: { maxRemediations, windowMs: 60_000, perGatewayCooldownMs: 0 },
});

const run = (i: number) => ({ gatewayId: `gw-${i}`, workflowId: `remediate:gw-${i}`, runId: `run-${i}`, startedAt: 0 });

/** Concurrent writers on real etcd: each store's compare-and-swap lets exactly the right ones through. */
describe('guardrail state in etcd under concurrency', () => {
  let server: EtcdServer;
  // One client per concurrent writer, as separate worker processes would have.
  let clients: Etcd3[];

  beforeAll(async () => {
    server = await startEtcd();
    clients = Array.from({ length: 8 }, () => connectEtcd(server.endpoints));
  });

  afterAll(async () => {
    clients?.forEach((c) => c.close());
    await server?.stop();
  });

  it('should let exactly the allowed number of 8 concurrent reservations win, and free a slot given back', async () => {
    const now = Date.now();
    const verdicts = await Promise.all(clients.map((etcd, i) => new RemediationHistory(etcd).reserve(run(i), guardrails(3), now)));
    expect(verdicts.filter((v) => v.kind === 'reserved')).toHaveLength(3);
    expect(verdicts.filter((v) => v.kind === 'wait')).toHaveLength(5);
    const history = new RemediationHistory(clients[0]!);
    const ledger = await history.all();
    expect(ledger).toHaveLength(3);

    const winner = ledger[0]!;
    await history.release(winner.runId);
    const loser = verdicts.findIndex((v) => v.kind === 'wait');
    expect(await history.reserve(run(loser), guardrails(3), now)).toMatchObject({ kind: 'reserved', alreadyHeld: false });
    // A retried reservation keeps its slot, a retried release is harmless.
    expect(await history.reserve(run(loser), guardrails(3), now)).toMatchObject({ kind: 'reserved', alreadyHeld: true });
    await history.release(winner.runId);
    expect((await history.all()).map((r) => r.runId).sort()).toEqual([...ledger.slice(1).map((r) => r.runId), `run-${loser}`].sort());
  });

  it('should give a gateway operation to exactly one of 8 concurrent claimers, and to the next once released', async () => {
    const allOpen = async () => true;
    const claims = (etcd: Etcd3) => new OperationClaims(etcd, allOpen);
    const outcomes = await Promise.all(
      clients.map((etcd, i) => claims(etcd).claim('gw-x', { workflowId: `op-${i}`, runId: `run-${i}`, operation: 'test', since: Date.now() })),
    );
    const winners = outcomes.flatMap((o, i) => (o.acquired ? [i] : []));
    expect(winners).toHaveLength(1);
    const holder = await claims(clients[0]!).holder('gw-x');
    expect(holder?.runId).toBe(`run-${winners[0]}`);
    expect(outcomes.filter((o) => !o.acquired).every((o) => !o.acquired && o.heldBy.runId === holder?.runId)).toBe(true);

    await claims(clients[1]!).release('gw-x', 'not-the-holder');
    expect((await claims(clients[1]!).holder('gw-x'))?.runId).toBe(holder?.runId);
    await claims(clients[1]!).release('gw-x', holder!.runId);
    expect(await claims(clients[2]!).claim('gw-x', { workflowId: 'next', runId: 'run-next', operation: 'test', since: Date.now() })).toEqual({ acquired: true });
  });

  it('should take over the claim of a run that is no longer open', async () => {
    const closed = new Set(['run-dead']);
    const claims = new OperationClaims(clients[0]!, async (_workflowId, runId) => !closed.has(runId));
    await claims.claim('gw-y', { workflowId: 'remediate:gw-y', runId: 'run-dead', operation: 'quarantine', since: 1 });
    expect(await claims.claim('gw-y', { workflowId: 'restore:gw-y', runId: 'run-live', operation: 'restore', since: 2 })).toMatchObject({
      acquired: true,
      tookOverFrom: { workflowId: 'remediate:gw-y', runId: 'run-dead' },
    });
  });

  it('should never lose a state transition to a concurrent writer', async () => {
    // Five writers, five different states: every write changes the key.
    const states = ['quarantined', 'probation', 'degraded', 'draining', 'serving'] as const;
    const replaced = await Promise.all(states.map((state, i) => new GatewayStateStore(clients[i]!).transition('gw-z', state, `writer-${i}`, i)));
    // Each write replaced the one before it, so the records replaced are all different (a read-then-write
    // race shows up as two writers replacing the same record) and the last one standing replaced none.
    const final = await new GatewayStateStore(clients[0]!).get('gw-z');
    const seen = replaced.map((r) => r?.by ?? 'none');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('none');
    expect(seen).not.toContain(final?.by);
  });
});

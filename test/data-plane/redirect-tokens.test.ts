import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ClientSwarm } from '#client';
import {
  CLOSE_CODE_TOKEN_EXPIRED,
  CLOSE_CODE_TOKEN_FORGED,
  CLOSE_CODE_TOKEN_MALFORMED,
  CLOSE_CODE_TOKEN_PREDATES_START,
  CLOSE_CODE_TOKEN_REPLAYED,
  CLOSE_CODE_TOKEN_WRONG_TARGET,
  CloseCode,
  type RedirectFrame,
} from '#core';
import { Fleet, waitUntil } from '#devstack';
import { caughtUp, control, seededOn, swarmOn, targets } from './support/fleet-helpers.js';
import { RawSession } from './support/raw-session.js';

const TOKEN_TTL_MS = 300;

describe('redirect tokens and resume proofs', () => {
  let fleet: Fleet;
  /** Sessions that must keep flowing, untouched, while every hostile connection below is refused. */
  let bystanders: ClientSwarm;

  /** A live session on `gatewayId`, redirected to `target`: the redirect frame its source sent. */
  const redirected = async (sessionId: string, gatewayId: string, target: string): Promise<{ client: RawSession; redirect: RedirectFrame }> => {
    const client = new RawSession(fleet.gateway(gatewayId).address, sessionId);
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker' });
    await client.receivesMore();
    await control(fleet, gatewayId).migrate({ targets: targets(fleet, target), sessions: [sessionId], batchId: `to-${target}-${sessionId}` });
    return { client, redirect: await client.redirect() };
  };

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: false, useExisting: false, messagesPerSecond: 20 });
    // Same fleet, but its redirect secret is not the fleet's: its signatures never match.
    await fleet.startGateway('outsider', { REDIRECT_SECRET: randomBytes(32).toString('base64url') });
    // Signs tokens that expire quickly, so a client can hold one past its life.
    await fleet.startGateway('short-lived', { REDIRECT_TOKEN_TTL_MS: String(TOKEN_TTL_MS) });
    bystanders = new ClientSwarm({ prefix: 'bystander', count: 20, gateways: seededOn(fleet, 'gw-2'), topics: ['ticker'] });
    await bystanders.start();
    await swarmOn(bystanders, 'gw-2');
  });

  afterAll(async () => {
    bystanders?.stop();
    await fleet?.stop();
  });

  it('should refuse tokens signed with another secret and leave every session on its source, delivering', async () => {
    const swarm = new ClientSwarm({ prefix: 'refused-forged', count: 20, gateways: seededOn(fleet, 'gw-1'), topics: ['ticker'] });
    try {
      await swarm.start();
      await swarmOn(swarm, 'gw-1');
      const result = await control(fleet, 'gw-1').migrate({ targets: targets(fleet, 'outsider'), waitMs: 10_000, batchId: 'refused-forged' });

      expect(result).toMatchObject({ settled: true, moved: 0, refused: 20 });
      expect(swarm.report().refusalCodes).toEqual({ [CLOSE_CODE_TOKEN_FORGED]: 20 });
      const report = await caughtUp(swarm, fleet.publisher.head('ticker'));
      expect(report.byGateway).toEqual({ 'gw-1': 20 });
      expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, redirectsRefused: 20, reconnects: 0 });
    } finally {
      swarm.stop();
    }
  });

  it('should refuse an expired token, and the session resumes on its source', async () => {
    const { client, redirect } = await redirected('expiring', 'short-lived', 'gw-2');

    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_MS + 50));
    const late = new RawSession(redirect.url, 'expiring', redirect.token);
    expect(await late.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_EXPIRED });

    // The protocol's answer to a refusal: resume on the current connection, which the source honours.
    client.send({ t: 'sub', topic: 'ticker', from: client.lastSeq + 1 });
    await client.receivesMore();
    const settled = await waitUntil('the batch to settle', async () => {
      const result = await control(fleet, 'short-lived').migration('to-gw-2-expiring');
      return result.settled ? result : undefined;
    });
    expect(settled.sessions).toEqual([{ sessionId: 'expiring', outcome: 'refused', target: 'gw-2', refusedBy: ['gw-2'] }]);
    expect(client.open).toBe(true);
    client.close(1000);
  });

  it('should refuse a token at the wrong gateway or for another session without spending it', async () => {
    const { client, redirect } = await redirected('patient', 'gw-1', 'gw-2');

    const elsewhere = new RawSession(fleet.gateway('gw-3').address, 'patient', redirect.token);
    expect(await elsewhere.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_WRONG_TARGET });
    const thief = new RawSession(redirect.url.replace('session=patient', 'session=thief'), 'thief', redirect.token);
    expect(await thief.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_FORGED });

    // Neither refusal spent the nonce: the rightful client still gets in with it.
    const moved = new RawSession(redirect.url, 'patient', redirect.token);
    await moved.welcomed();
    client.close(CloseCode.Redirected);
    moved.close(1000);
  });

  it('should refuse a token presented a second time, leaving the session where the first use put it', async () => {
    const { client, redirect } = await redirected('replayer', 'gw-1', 'gw-2');

    const moved = new RawSession(redirect.url, 'replayer', redirect.token);
    await moved.welcomed();
    client.close(CloseCode.Redirected);
    moved.send({ t: 'sub', topic: 'ticker', from: client.lastSeq + 1 });
    const replay = new RawSession(redirect.url, 'replayer', redirect.token);

    expect(await replay.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_REPLAYED });
    await moved.receivesMore();
    expect(moved.open).toBe(true);
    moved.close(1000);
  });

  it('should refuse garbage, a tampered signature, a truncated token and a 1 MB token as malformed or forged', async () => {
    const { client, redirect } = await redirected('tamperer', 'gw-1', 'gw-2');
    const [claims, mac] = redirect.token.split('.') as [string, string];
    const cases: [string, number][] = [
      ['not-a-token', CLOSE_CODE_TOKEN_MALFORMED],
      [`${claims}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`, CLOSE_CODE_TOKEN_FORGED],
      [redirect.token.slice(0, -5), CLOSE_CODE_TOKEN_MALFORMED],
      ['A'.repeat(1024 * 1024), CLOSE_CODE_TOKEN_MALFORMED],
    ];
    for (const [token, code] of cases) {
      const attempt = new RawSession(redirect.url, 'tamperer', token);
      expect(await attempt.closed).toMatchObject({ code });
    }
    expect(client.open).toBe(true);
    client.close(1000);
  });

  it('should refuse a resume of a connected session without proof, and hand it over with its resume secret, resuming where the client says', async () => {
    const victim = new RawSession(fleet.gateway('gw-1').address, 'victim');
    await victim.welcomed();
    victim.send({ t: 'sub', topic: 'ticker' });
    await victim.receivesMore();

    const guessed = new RawSession(fleet.gateway('gw-1').address, 'victim');
    expect(await guessed.closed).toMatchObject({ code: CloseCode.SessionProofRequired });
    const wrongSecret = new RawSession(fleet.gateway('gw-1').address, 'victim', undefined, randomBytes(32).toString('base64url'));
    expect(await wrongSecret.closed).toMatchObject({ code: CloseCode.SessionProofRequired });
    await victim.receivesMore();
    expect(victim.open).toBe(true);

    // The secret from the welcome works on any gateway of the fleet, and takes the session over here.
    const secret = await victim.resumeSecret();
    const owner = new RawSession(fleet.gateway('gw-1').address, 'victim', undefined, secret);
    await owner.welcomed();
    expect(await victim.closed).toMatchObject({ code: CloseCode.SessionReplaced });
    // The old connection's position went with it: nothing is sent until the new one says where it stands.
    const stoodAt = fleet.publisher.head('ticker');
    await waitUntil('the publisher to move on', async () => fleet.publisher.head('ticker') >= stoodAt + 3);
    expect(owner.frames.filter((f) => f.t === 'msg')).toEqual([]);
    const from = victim.lastSeq + 1;
    owner.send({ t: 'sub', topic: 'ticker', from });
    await owner.receivesMore();
    expect(owner.frames.find((f) => f.t === 'msg')).toMatchObject({ seq: from });
    owner.close(1000);
  });

  it("should keep a session on its client's later connection when an attempt the client gave up on is upgraded after it", async () => {
    const address = fleet.gateway('gw-1').address;
    const first = new RawSession(address, 'retrier', undefined, undefined, 'inst.1');
    const secret = await first.resumeSecret();
    const live = new RawSession(address, 'retrier', undefined, secret, 'inst.3');
    await live.welcomed();
    expect(await first.closed).toMatchObject({ code: CloseCode.SessionReplaced });
    live.send({ t: 'sub', topic: 'ticker' });
    await live.receivesMore();

    // Attempt 2 timed out on the client's side, but the loaded gateway upgrades it only now, with the same proof.
    const late = new RawSession(address, 'retrier', undefined, secret, 'inst.2');
    expect(await late.closed).toEqual({ code: CloseCode.SessionReplaced, reason: 'a later connection of this client holds the session' });
    await live.receivesMore();
    expect(live.open).toBe(true);

    // Another instance with the secret (the client restarted) takes the session over, as before.
    const restarted = new RawSession(address, 'retrier', undefined, secret, 'other.1');
    await restarted.welcomed();
    expect(await live.closed).toMatchObject({ code: CloseCode.SessionReplaced });
    restarted.close(1000);
  });

  it('should refuse a malformed ?attempt= with a reason that names it', async () => {
    const malformed = new RawSession(fleet.gateway('gw-1').address, 'malformed-attempt', undefined, undefined, 'no-count');
    const closed = await malformed.closed;
    expect(closed.code).toBe(CloseCode.ProtocolError);
    expect(closed.reason).toContain('invalid ?attempt=');
  });

  it('should refuse, after a SIGKILL and restart, a token it redeemed before the crash', async () => {
    await fleet.startGateway('phoenix');
    const { client, redirect } = await redirected('reborn', 'gw-1', 'phoenix');
    const moved = new RawSession(redirect.url, 'reborn', redirect.token);
    await moved.welcomed();
    client.close(CloseCode.Redirected);
    const secret = await moved.resumeSecret();

    await fleet.killGateway('phoenix');
    const restarted = await fleet.startGateway('phoenix');
    const replayed = new RawSession(restarted.address, 'reborn', redirect.token);
    expect(await replayed.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_PREDATES_START });
    // The client itself comes back with its resume secret instead.
    const resumed = new RawSession(restarted.address, 'reborn', undefined, secret);
    await resumed.welcomed();
    resumed.close(1000);
  });

  it('should have kept every bystander flowing through all of it', async () => {
    const report = await caughtUp(bystanders, fleet.publisher.head('ticker'));
    expect(report.byGateway).toEqual({ 'gw-2': 20 });
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, reconnects: 0 });
  });
});

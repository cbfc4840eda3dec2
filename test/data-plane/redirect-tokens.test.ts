import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ClientSwarm } from '#client';
import {
  CLOSE_CODE_TOKEN_EXPIRED,
  CLOSE_CODE_TOKEN_FORGED,
  CLOSE_CODE_TOKEN_MALFORMED,
  CLOSE_CODE_TOKEN_REPLAYED,
  CLOSE_CODE_TOKEN_WRONG_TARGET,
  CloseCode,
} from '#core';
import { Fleet, waitUntil } from '#devstack';
import { caughtUp, control, seededOn, swarmOn, targets } from './support/fleet-helpers.js';
import { RawSession } from './support/raw-session.js';

const TOKEN_TTL_MS = 300;

describe('redirect tokens', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false, messagesPerSecond: 20 });
    // Same fleet, but its redirect secret is not the fleet's: its signatures never match.
    await fleet.startGateway('outsider', { REDIRECT_SECRET: randomBytes(32).toString('base64url') });
    // Signs tokens that expire quickly, so a client can hold one past its life.
    await fleet.startGateway('short-lived', { REDIRECT_TOKEN_TTL_MS: String(TOKEN_TTL_MS) });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it.each([
    ['forged (signed with another secret)', 'outsider', () => targets(fleet, 'outsider'), CLOSE_CODE_TOKEN_FORGED],
    ['for another gateway', 'gw-2', () => [{ gatewayId: 'outsider', address: fleet.gateway('gw-2').address }], CLOSE_CODE_TOKEN_WRONG_TARGET],
  ])('should refuse a token %s and leave every session on its source, delivering', async (_case, _target, pickTargets, code) => {
    const swarm = new ClientSwarm({ prefix: `refused-${code}`, count: 20, gateways: seededOn(fleet, 'gw-1'), topics: ['ticker'] });
    try {
      await swarm.start();
      await swarmOn(swarm, 'gw-1');
      const result = await control(fleet, 'gw-1').migrate({ targets: pickTargets(), waitMs: 10_000, batchId: `refused-${code}` });

      expect(result).toMatchObject({ settled: true, moved: 0, refused: 20 });
      expect(swarm.report().refusalCodes).toEqual({ [code]: 20 });
      const report = await caughtUp(swarm, fleet.publisher.head('ticker'));
      expect(report.byGateway).toEqual({ 'gw-1': 20 });
      expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, redirectsRefused: 20, reconnects: 0 });
    } finally {
      swarm.stop();
    }
  });

  it('should refuse an expired token, and the session resumes on its source', async () => {
    const client = new RawSession(fleet.gateway('short-lived').address, 'expiring');
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker' });
    await client.receivesMore();
    const batch = await control(fleet, 'short-lived').migrate({ targets: targets(fleet, 'gw-2'), sessions: ['expiring'], batchId: 'expiring' });
    const redirect = await client.redirect();

    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_MS + 50));
    const late = new RawSession(redirect.url, 'expiring', redirect.token);
    expect(await late.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_EXPIRED });

    // The protocol's answer to a refusal: resume on the current connection, which the source honours.
    client.send({ t: 'sub', topic: 'ticker', from: client.lastSeq + 1 });
    await client.receivesMore();
    const settled = await waitUntil('the batch to settle', async () => {
      const result = await control(fleet, 'short-lived').migration(batch.batchId);
      return result.settled ? result : undefined;
    });
    expect(settled.sessions).toEqual([{ sessionId: 'expiring', outcome: 'refused', target: 'gw-2', refusedBy: ['gw-2'] }]);
    expect(client.open).toBe(true);
    client.close(1000);
  });

  it('should refuse a token presented a second time, leaving the session where the first use put it', async () => {
    const client = new RawSession(fleet.gateway('gw-1').address, 'replayer');
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker' });
    await client.receivesMore();
    await control(fleet, 'gw-1').migrate({ targets: targets(fleet, 'gw-2'), sessions: ['replayer'] });
    const redirect = await client.redirect();

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

  it('should refuse a token that is not a token, or whose signature was tampered with', async () => {
    const garbage = new RawSession(fleet.gateway('gw-2').address, 'garbage', 'not-a-token');
    expect(await garbage.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_MALFORMED });

    const client = new RawSession(fleet.gateway('gw-1').address, 'tamperer');
    await client.welcomed();
    await control(fleet, 'gw-1').migrate({ targets: targets(fleet, 'gw-2'), sessions: ['tamperer'] });
    const { url, token } = await client.redirect();
    const [claims, mac] = token.split('.') as [string, string];
    const flipped = `${claims}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const tampered = new RawSession(url, 'tamperer', flipped);
    expect(await tampered.closed).toMatchObject({ code: CLOSE_CODE_TOKEN_FORGED });
    expect(client.open).toBe(true);
    client.close(1000);
  });
});

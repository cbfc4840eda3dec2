import { afterEach, describe, expect, it } from '@jest/globals';
import { PushClient } from '#client';
import { type GapFrame, type MessageFrame } from '#core';
import { waitUntil } from '#devstack';
import { Publisher } from '#push';
import { startHub } from './support/in-process-gateway.js';
import { RawSession } from './support/raw-session.js';

const stops: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const publisher = async (options: { minRetain: number; maxRetain: number }): Promise<Publisher> => {
  const started = await Publisher.start({ topics: ['ticker'], messagesPerSecond: 200, orphanHoldMs: 0, ...options });
  stops.push(() => started.stop());
  return started;
};

describe('where a message lives until the client has it', () => {
  it('should back-fill from the publisher a resume older than the gateway keeps', async () => {
    const upstream = await publisher({ minRetain: 1_000, maxRetain: 10_000 });
    const gateway = await startHub(upstream.url, { replayWindow: 5 });
    stops.push(gateway.stop);
    await waitUntil('200 messages published', async () => upstream.head('ticker') > 200);

    const from = upstream.head('ticker') - 150;
    const client = new RawSession(gateway.address, 'late-comer');
    stops.push(() => client.close(1000));
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker', from });
    const until = upstream.head('ticker');
    await waitUntil('the resume to catch up', async () => client.lastSeq >= until);

    const seqs = client.frames.filter((f): f is MessageFrame => f.t === 'msg').map((f) => f.seq);
    expect(seqs.slice(0, until - from + 1)).toEqual(Array.from({ length: until - from + 1 }, (_, i) => from + i));
    expect(client.frames.some((f) => f.t === 'gap')).toBe(false);
  });

  it('should say with a gap frame what the publisher no longer has, then deliver the rest in order', async () => {
    const upstream = await publisher({ minRetain: 20, maxRetain: 10_000 });
    const gateway = await startHub(upstream.url, { replayWindow: 5 });
    stops.push(gateway.stop);
    await waitUntil('the publisher to have dropped its first messages', async () => upstream.oldest('ticker') > 0);

    const client = new RawSession(gateway.address, 'from-the-start');
    stops.push(() => client.close(1000));
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker', from: 0 });
    await waitUntil('messages after the gap', async () => client.lastSeq > 0);

    const [gap, first] = client.frames.filter((f) => f.t === 'gap' || f.t === 'msg') as [GapFrame, MessageFrame];
    expect(gap).toMatchObject({ t: 'gap', topic: 'ticker', from: 0 });
    expect(first.seq).toBe(gap.to + 1);
  });

  it('should hold messages for a stalled session up to the hard cap, then declare the rest lost — never lose them silently', async () => {
    const upstream = await publisher({ minRetain: 10, maxRetain: 60 });
    // A stalled session's messages wait in the log, held for it.
    const gateway = await startHub(upstream.url, { replayWindow: 10, maxRetain: 60, sendHighWaterBytes: 200 });
    stops.push(gateway.stop);
    let first: number | undefined;
    // The client keeps its silent gateway: this is about what the gateway holds, not about leaving it (§2.8).
    const client = new PushClient({
      sessionId: 'stalled',
      gateways: [gateway.address],
      topics: ['ticker'],
      silenceDeadlineMs: 60_000,
      onMessage: (_t, seq) => (first ??= seq),
    });
    stops.push(() => client.stop());
    client.start();
    await waitUntil('the client receiving', async () => (client.ledgers.get('ticker')?.received ?? 0) > 10);

    // Delivery stops (a hang): nothing more leaves the gateway for this session while the stream runs on.
    gateway.hub.applyFaults({ writeBlock: false, latencyMs: 0, hang: true });
    const stalledAt = client.ledgers.get('ticker')?.last ?? 0;
    await waitUntil('the publisher to run past the hard cap', async () => upstream.head('ticker') > stalledAt + 200);
    gateway.hub.applyFaults({ writeBlock: false, latencyMs: 0, hang: false });
    const until = upstream.head('ticker');
    await waitUntil('the client to catch up', async () => (client.ledgers.get('ticker')?.last ?? 0) >= until);

    const ledger = client.ledgers.get('ticker');
    expect(ledger?.declaredLost).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: ledger?.declaredLost, duplicates: 0, reorders: 0 });
    expect((ledger?.received ?? 0) + (ledger?.lost ?? 0)).toBe((ledger?.last ?? 0) - (first ?? 0) + 1);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { CloseCode } from '#core';
import { waitUntil } from '#devstack';
import { Publisher } from '#push';
import { startHub } from './support/in-process-gateway.js';
import { RawSession } from './support/raw-session.js';

const stops: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('per-connection memory budget', () => {
  it('should close a connection whose send backlog outgrows its budget with 1013, after what was queued', async () => {
    const upstream = await Publisher.start({ topics: ['ticker'], messagesPerSecond: 500 });
    stops.push(() => upstream.stop());
    // A budget below the high-water mark (the gateway's settings forbid it) lets ordinary traffic reach it.
    const gateway = await startHub(upstream.url, { sendHighWaterBytes: 16 * 1024, backlogBudgetBytes: 2 * 1024 });
    stops.push(gateway.stop);
    const client = new RawSession(gateway.address, 'hoarder');
    await client.welcomed();
    client.send({ t: 'sub', topic: 'ticker' });
    await client.receivesMore();

    // The connection stops draining (as when the kernel's send buffer is full): writes stay in
    // the gateway's own buffer, so the backlog grows past the budget.
    const socket = gateway.serverSockets.at(-1)!;
    socket.cork();
    await waitUntil('the backlog over budget', async () => gateway.hub.snapshot().maxSendBufferBytes > 2 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.uncork();

    expect(await client.closed).toMatchObject({ code: CloseCode.BacklogExceeded });
    await waitUntil('the session gone from the gateway', async () => gateway.hub.sessionCount === 0);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { waitUntil } from '#devstack';
import { Publisher } from './publisher.js';

/** A gateway's view of the upstream, reduced to what this test reads: every `msg` sequence, in arrival order. */
const subscribe = (url: string, from: number): { readonly seqs: number[]; readonly closed: Promise<void>; readonly socket: WebSocket } => {
  const socket = new WebSocket(url);
  const seqs: number[] = [];
  socket.on('open', () => socket.send(JSON.stringify({ t: 'sub', topic: 'ticker', from })));
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { t: string; seq?: number };
    if (frame.t === 'msg' && frame.seq !== undefined) seqs.push(frame.seq);
  });
  socket.on('error', () => undefined);
  return { seqs, socket, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
};

describe(Publisher.name, () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('should come back on its port after a restart with its log, publishing nothing while down, so a resubscription continues gap-free', async () => {
    const publisher = await Publisher.start({ topics: ['ticker'], messagesPerSecond: 200 });
    stops.push(() => publisher.stop());
    const url = publisher.url;
    const before = subscribe(url, 0);
    stops.push(() => before.socket.terminate());
    await waitUntil('some messages', async () => before.seqs.length >= 20);

    const restarted = publisher.restart(400);
    await before.closed;
    const headWhileDown = publisher.head('ticker');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publisher.head('ticker')).toBe(headWhileDown);
    await restarted;
    expect(publisher.url).toBe(url);

    const last = before.seqs.at(-1) as number;
    const after = subscribe(url, last + 1);
    stops.push(() => after.socket.terminate());
    await waitUntil('messages published after the restart', async () => (after.seqs.at(-1) ?? 0) > headWhileDown + 10);
    const all = [...before.seqs, ...after.seqs];
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i));
  });
});

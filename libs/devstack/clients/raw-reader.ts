import { type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { type AckFrame, type ServerFrame } from '#core';
import { waitUntil } from '../wait-until.js';

/**
 * A client written against the protocol with plain `ws`, not the SDK: it subscribes,
 * acks what it read every `ackEveryMs` (docs/protocol.md §2.4), and can be made to
 * stop reading its socket altogether, or to fall behind: process (and ack) only a
 * share of what arrives, as a consumer that is too slow for the stream does.
 */
export class RawReader {
  private readonly socket: WebSocket;
  private readonly received: { seq: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  /** Share of arriving messages processed per ack round; 1 keeps up. */
  private speed = 1;
  private processed = 0;
  private counted = 0;
  private welcomed = false;
  private acksSent = 0;

  constructor(address: string, sessionId: string, topic: string, ackEveryMs = 1_000) {
    const url = new URL(address);
    url.searchParams.set('session', sessionId);
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.on('error', () => undefined);
    this.socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as ServerFrame;
      if (frame.t === 'welcome') {
        this.welcomed = true;
        this.socket.send(JSON.stringify({ t: 'sub', topic }));
      } else if (frame.t === 'msg') {
        this.received.push({ seq: frame.seq });
      }
    });
    this.timer = setInterval(() => this.ack(topic), ackEveryMs);
  }

  /** Waits until it is welcomed, messages arrive and it has acked some. */
  async reading(): Promise<void> {
    await waitUntil('the raw reader to receive and ack messages', async () => this.welcomed && this.acksSent > 0);
  }

  /** Stops reading the socket: bytes stay in the kernel, no more acks go out. */
  stopReading(): void {
    (this.socket as unknown as { _socket: Socket })._socket.pause();
    clearInterval(this.timer);
  }

  /** From now on processes only `speed` (0..1) of the arrival rate, acking as it goes: always progressing, ever further behind. */
  processAt(speed: number): void {
    this.speed = speed;
  }

  close(): void {
    clearInterval(this.timer);
    this.socket.terminate();
  }

  private ack(topic: string): void {
    this.processed = Math.min(this.received.length, this.processed + (this.received.length - this.counted) * this.speed);
    this.counted = this.received.length;
    const last = this.received[Math.floor(this.processed) - 1];
    if (!last || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ t: 'ack', topic, seq: last.seq } satisfies AckFrame));
    this.acksSent += 1;
  }
}

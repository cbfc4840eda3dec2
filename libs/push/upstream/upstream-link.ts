import { WebSocket } from 'ws';
import { parseFrame } from '#core';
import { type TopicFeed } from '../topic-feed.js';
import { wireMessage } from '../wire-message.js';
import { type FetchFrame, type HoldFrame, UpstreamReply, type UpstreamRequest } from './upstream-frames.js';

/**
 * This gateway's connection to the upstream. It subscribes each topic from its
 * local head (live, the first time), reports what its sessions still hold, and
 * carries back-fill fetches. After a reconnect it resumes from the head, so
 * nothing in between is skipped, and re-sends fetches that were in flight.
 */
export class UpstreamLink {
  private socket: WebSocket | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly reportedHolds = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly feeds: ReadonlyMap<string, TopicFeed>,
    private readonly onError: (error: Error) => void,
  ) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.on('open', () => {
      this.reportedHolds.clear();
      for (const feed of this.feeds.values()) {
        this.send({ t: 'sub', topic: feed.topic, ...(feed.log.started ? { from: feed.log.head } : {}) });
        feed.onUpstreamReconnected();
      }
    });
    socket.on('message', (raw) => this.onReply(raw.toString()));
    socket.on('error', (error) => this.onError(error));
    socket.on('close', () => {
      if (!this.stopped) this.retryTimer = setTimeout(() => this.start(), 200);
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.terminate();
  }

  /** Tells the upstream the lowest sequence still needed on `topic` (only when it changed). */
  hold(topic: string, seq: number): void {
    if (!this.connected || this.reportedHolds.get(topic) === seq) return;
    this.reportedHolds.set(topic, seq);
    this.send({ t: 'hold', topic, seq } satisfies HoldFrame);
  }

  fetch(topic: string, from: number, to: number): void {
    // While disconnected the fetch waits: `open` re-sends every fetch still pending.
    if (this.connected) this.send({ t: 'fetch', topic, from, to } satisfies FetchFrame);
  }

  private send(frame: UpstreamRequest): void {
    this.socket?.send(JSON.stringify(frame));
  }

  private onReply(raw: string): void {
    const frame = parseFrame(UpstreamReply, raw);
    const feed = frame && this.feeds.get(frame.topic);
    if (!frame || !feed) {
      this.onError(new Error(`unexpected frame from upstream: ${raw.slice(0, 200)}`));
      return;
    }
    if (frame.t === 'msg') feed.onMessage(wireMessage(frame));
    else if (frame.t === 'gap') feed.onGap(frame.from, frame.to);
    else feed.onSynced(frame.head);
  }
}

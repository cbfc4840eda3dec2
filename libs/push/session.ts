import { type WebSocket } from 'ws';
import { type GapFrame, type RedirectFrame, type ServerFrame } from '#core';
import { type FeedListener, type TopicFeed } from './topic-feed.js';

/**
 * One client's session on this gateway: which topics it reads and the next
 * sequence it is owed on each. Sending strictly in sequence from the feed's
 * retained log is what makes delivery gap-free and ordered.
 */
export class Session implements FeedListener {
  /** topic → next sequence owed; `undefined` until the feed has its first message. */
  private readonly next = new Map<string, number | undefined>();
  private readonly feeds = new Set<TopicFeed>();
  /** Set while a redirect is outstanding: the target, not this gateway, delivers from here on. */
  private redirectedTo: string | undefined;
  readonly acked = new Map<string, number>();

  constructor(
    readonly id: string,
    private socket: WebSocket,
  ) {}

  get redirectTarget(): string | undefined {
    return this.redirectedTo;
  }

  /** A reconnect with the same session id replaces the old socket. */
  rebind(socket: WebSocket): void {
    const old = this.socket;
    this.socket = socket;
    if (old !== socket) old.terminate();
  }

  isOn(socket: WebSocket): boolean {
    return this.socket === socket;
  }

  subscribe(feed: TopicFeed, from: number | undefined): void {
    // A subscribe also cancels an outstanding redirect: the target refused the client.
    this.redirectedTo = undefined;
    this.next.set(feed.topic, from);
    this.feeds.add(feed);
    feed.listeners.add(this);
    this.pump(feed);
  }

  ack(topic: string, seq: number): void {
    this.acked.set(topic, Math.max(seq, this.acked.get(topic) ?? -1));
  }

  pump(feed: TopicFeed): void {
    const { log } = feed;
    if (this.redirectedTo !== undefined || log.empty) return;
    let next = this.next.get(feed.topic) ?? log.oldest;
    if (next < log.oldest) {
      this.send({ t: 'gap', topic: feed.topic, from: next, to: log.oldest - 1 } satisfies GapFrame);
      next = log.oldest;
    }
    for (let message = log.get(next); message; message = log.get(next)) {
      this.send(message);
      next += 1;
    }
    this.next.set(feed.topic, next);
  }

  redirect(frame: RedirectFrame): void {
    this.redirectedTo = frame.target;
    this.send(frame);
  }

  detach(): void {
    for (const feed of this.feeds) feed.listeners.delete(this);
    this.feeds.clear();
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  send(frame: ServerFrame): void {
    this.socket.send(JSON.stringify(frame));
  }
}

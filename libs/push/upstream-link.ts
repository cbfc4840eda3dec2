import { WebSocket } from 'ws';
import { MessageFrame, parseFrame, type SubscribeFrame } from '#core';
import { type TopicFeed } from './topic-feed.js';

/**
 * This gateway's subscription to the publisher. It asks for everything retained
 * so the local replay window matches the publisher's, and after a reconnect it
 * resumes each topic from its head so nothing in between is skipped.
 */
export class UpstreamLink {
  private socket: WebSocket | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly feeds: Map<string, TopicFeed>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.on('open', () => {
      for (const feed of this.feeds.values()) this.subscribe(feed);
    });
    socket.on('message', (raw) => {
      const message = parseFrame(MessageFrame, raw.toString());
      if (message) this.feeds.get(message.topic)?.receive(message);
    });
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

  private subscribe(feed: TopicFeed): void {
    const frame: SubscribeFrame = { t: 'sub', topic: feed.topic, from: feed.log.empty ? 0 : feed.log.head };
    this.socket?.send(JSON.stringify(frame));
  }
}

import { type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, type MessageFrame, SubscribeFrame, parseFrame } from '#core';
import { RetainedLog } from './retained-log.js';

export interface PublisherOptions {
  readonly port?: number;
  readonly topics: readonly string[];
  readonly messagesPerSecond: number;
  /** How many messages per topic stay replayable: the window that makes failover lossless. */
  readonly retain: number;
}

/**
 * The upstream every gateway fans out from (in production: the message bus).
 * It holds a replay window per topic, so a session that moves to another gateway
 * — planned or after a crash — resumes from its last sequence with nothing lost.
 */
export class Publisher {
  private readonly logs = new Map<string, RetainedLog>();
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly options: PublisherOptions,
  ) {
    for (const topic of options.topics) {
      this.logs.set(topic, new RetainedLog(options.retain));
      this.subscribers.set(topic, new Set());
    }
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: PublisherOptions): Promise<Publisher> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const publisher = new Publisher(server, options);
    publisher.run();
    return publisher;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sequence the next message on `topic` will carry (how many have been published). */
  head(topic: string): number {
    return this.logs.get(topic)?.head ?? 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private run(): void {
    // Publish in small bursts every 10 ms so the configured rate holds at any value.
    const perTick = this.options.messagesPerSecond / 100;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed -= 1) for (const topic of this.options.topics) this.publish(topic);
    }, 10);
  }

  private publish(topic: string): void {
    const log = this.logs.get(topic);
    if (!log) return;
    const message: MessageFrame = { t: 'msg', topic, seq: log.head, data: `${topic}#${log.head}` };
    log.append(message);
    const frame = JSON.stringify(message);
    for (const socket of this.subscribers.get(topic) ?? []) socket.send(frame);
  }

  private accept(socket: WebSocket): void {
    socket.on('message', (raw) => {
      const frame = parseFrame(SubscribeFrame, raw.toString());
      const log = frame && this.logs.get(frame.topic);
      if (!frame || !log) {
        socket.close(CloseCode.ProtocolError, 'expected {"t":"sub","topic":<known topic>,"from":<seq>}');
        return;
      }
      this.replay(socket, log, frame.from ?? log.head);
      this.subscribers.get(frame.topic)?.add(socket);
    });
    socket.on('close', () => {
      for (const set of this.subscribers.values()) set.delete(socket);
    });
  }

  /** Sends what is retained from `from` on; the live stream continues right after it. */
  private replay(socket: WebSocket, log: RetainedLog, from: number): void {
    if (log.empty) return;
    for (let seq = Math.max(from, log.oldest); seq < log.head; seq++) {
      const message = log.get(seq);
      if (message) socket.send(JSON.stringify(message));
    }
  }
}

import { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, type GapFrame, type MessageFrame, parseFrame } from '#core';
import { RetainedLog } from './retained-log.js';
import { retentionFloor } from './retention.js';
import { HoldBook } from './upstream/hold-book.js';
import { type FetchFrame, type SyncedFrame, UpstreamRequest } from './upstream/upstream-frames.js';
import { type WireMessage, wireMessage } from './wire-message.js';

export interface PublisherOptions {
  readonly port?: number;
  readonly topics: readonly string[];
  readonly messagesPerSecond: number;
  /** Recent messages per topic kept whether held or not (default 1 000). */
  readonly minRetain?: number;
  /** Hard cap per topic: past it the oldest go even if held, and holders get a `gap` (default 100 000). */
  readonly maxRetain?: number;
  /** How long a vanished gateway's holds outlive it, for its sessions to resume elsewhere (default 30 s). */
  readonly orphanHoldMs?: number;
}

interface Topic {
  readonly log: RetainedLog<WireMessage>;
  readonly holds: HoldBook;
  readonly subscribers: Set<WebSocket>;
}

/**
 * The upstream every gateway fans out from (in production: the message bus).
 * A message stays here until every gateway holding it has said its sessions no
 * longer need it (their acks), bounded by `maxRetain`. So a session that moves —
 * planned, or because its gateway was SIGKILLed with unsent messages in its
 * buffers — resumes elsewhere from its last sequence with nothing lost.
 */
export class Publisher {
  private readonly topics = new Map<string, Topic>();
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  /** Restarting (`restart`): nothing is published and nobody can connect. */
  private down = false;
  /** Messages dropped by the hard cap while still held (each becomes a gap for someone). */
  droppedWhileHeld = 0;

  private constructor(
    private server: WebSocketServer,
    private readonly options: PublisherOptions,
  ) {
    for (const topic of options.topics) {
      this.topics.set(topic, { log: new RetainedLog(), holds: new HoldBook(), subscribers: new Set() });
    }
    server.on('connection', (socket) => this.accept(socket));
  }

  private static async listen(port: number): Promise<WebSocketServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    return server;
  }

  static async start(options: PublisherOptions): Promise<Publisher> {
    const publisher = new Publisher(await Publisher.listen(options.port ?? 0), options);
    for (const topic of publisher.topics.values()) topic.log.startAt(0);
    publisher.run();
    return publisher;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sequence the next message on `topic` will carry (how many have been published). */
  head(topic: string): number {
    return this.topics.get(topic)?.log.head ?? 0;
  }

  /** Oldest sequence still retained on `topic`. */
  oldest(topic: string): number {
    return this.topics.get(topic)?.log.oldest ?? 0;
  }

  /** Stops publishing (sessions go idle) until `resume`; the bench measures idle memory this way. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /**
   * Goes away for `downForMs` and comes back on the same port, as a message bus restarted on
   * its durable log does: every gateway's link breaks (and retries), nothing is published
   * meanwhile (a producer's publish would be refused, and retrying it is the producer's part),
   * and what was published before — the retained log, and the holds as orphan holds — survives.
   */
  async restart(downForMs: number): Promise<void> {
    const port = (this.server.address() as AddressInfo).port;
    this.down = true;
    await this.closeServer();
    await sleep(downForMs);
    this.server = await Publisher.listen(port);
    this.server.on('connection', (socket) => this.accept(socket));
    this.down = false;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.closeServer();
  }

  private async closeServer(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private run(): void {
    // Publish in small bursts every 10 ms so the configured rate holds at any value.
    const perTick = this.options.messagesPerSecond / 100;
    let owed = 0;
    this.timer = setInterval(() => {
      if (this.paused || this.down) return;
      owed += perTick;
      for (; owed >= 1; owed -= 1) for (const [name, topic] of this.topics) this.publish(name, topic);
      for (const topic of this.topics.values()) this.trim(topic);
    }, 10);
  }

  private publish(name: string, topic: Topic): void {
    const seq = topic.log.head;
    const message = wireMessage({ t: 'msg', topic: name, seq, data: `${name}#${seq}` } satisfies MessageFrame);
    topic.log.append(message);
    for (const socket of topic.subscribers) socket.send(message.wire, { binary: false });
  }

  private trim(topic: Topic): void {
    const { log } = topic;
    const { floor, capped } = retentionFloor({
      head: log.head,
      minRetain: this.options.minRetain ?? 1_000,
      maxRetain: this.options.maxRetain ?? 100_000,
      held: topic.holds.lowest(Date.now()),
    });
    const dropped = log.trimBelow(floor);
    if (capped) this.droppedWhileHeld += dropped;
  }

  private accept(socket: WebSocket): void {
    socket.on('message', (raw) => {
      const frame = parseFrame(UpstreamRequest, raw.toString());
      const topic = frame && this.topics.get(frame.topic);
      if (!frame || !topic) {
        socket.close(CloseCode.ProtocolError, 'expected sub, hold or fetch on a known topic');
        return;
      }
      if (frame.t === 'hold') topic.holds.set(socket, frame.seq);
      else if (frame.t === 'fetch') this.fetch(socket, topic, frame);
      else this.subscribe(socket, topic, frame.topic, frame.from);
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      for (const topic of this.topics.values()) {
        topic.subscribers.delete(socket);
        topic.holds.release(socket, Date.now(), this.options.orphanHoldMs ?? 30_000);
      }
    });
  }

  /** Replays from `from` (live when absent), says where the live stream stands, then streams. */
  private subscribe(socket: WebSocket, topic: Topic, name: string, from: number | undefined): void {
    const start = from ?? topic.log.head;
    // Hold from the start until the gateway says otherwise, so the replay cannot be trimmed under it.
    topic.holds.set(socket, start);
    this.send(socket, topic, name, start, topic.log.head);
    socket.send(JSON.stringify({ t: 'synced', topic: name, head: topic.log.head } satisfies SyncedFrame));
    topic.subscribers.add(socket);
  }

  private fetch(socket: WebSocket, topic: Topic, frame: FetchFrame): void {
    this.send(socket, topic, frame.topic, frame.from, Math.min(frame.to, topic.log.head));
  }

  /** Sends `from`..`to - 1`: a `gap` for whatever part is no longer retained, then the messages. */
  private send(socket: WebSocket, topic: Topic, name: string, from: number, to: number): void {
    const { log } = topic;
    if (from >= to) return;
    if (from < log.oldest) {
      const gapTo = Math.min(to, log.oldest) - 1;
      socket.send(JSON.stringify({ t: 'gap', topic: name, from, to: gapTo } satisfies GapFrame));
    }
    for (let seq = Math.max(from, log.oldest); seq < to; seq++) {
      const message = log.get(seq);
      if (message) socket.send(message.wire, { binary: false });
    }
  }
}

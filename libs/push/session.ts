import { type WebSocket } from 'ws';
import { type Socket } from 'node:net';
import { CloseCode, type ConnectionAttempt, type GapFrame, type RedirectFrame, type ServerFrame, isStaleAttempt } from '#core';
import { AckLag } from './ack-lag.js';
import { type DeliveryGate } from './delivery-gate.js';
import { type SendLoad } from './slow-session.js';
import { type FeedListener, type TopicFeed } from './topic-feed.js';

interface Cursor {
  readonly feed: TopicFeed;
  /** Next sequence to send; undefined until the feed knows where the live stream stands. */
  next: number | undefined;
  /** Lowest sequence the client may still need sent again: one past its last ack. */
  need: number | undefined;
  /** Sent but not yet acknowledged: what the client has not confirmed receiving. */
  readonly lag: AckLag;
}

interface OutstandingRedirect {
  readonly target: string;
  readonly sentAt: number;
  readonly settle: (outcome: 'moved' | 'refused' | 'gone') => void;
}

export interface SessionHooks {
  /** The send buffer reached the high-water mark: stop until it drains. */
  readonly onBlocked: (session: Session) => void;
  readonly highWaterBytes: number;
  readonly gate: DeliveryGate;
}

/**
 * One client's session on this gateway: which topics it reads, the next sequence
 * owed on each, and what it has acknowledged. Sending strictly in sequence from
 * the feed's log is what makes delivery gap-free and ordered; stopping at the
 * send buffer's high-water mark keeps a slow client from growing memory without
 * bound (its messages wait in the log, which its hold keeps).
 */
export class Session implements FeedListener {
  private readonly cursors = new Map<string, Cursor>();
  private redirect: OutstandingRedirect | undefined;
  /** Frames other than messages, held back while the gateway is silenced. */
  private held: ServerFrame[] = [];
  blocked = false;
  /** When the last RTT probe ping went out (performance.now() ms), if its pong is still due. */
  pingSentAt: number | undefined;
  /** When anything (a frame or a ping) was last handed to the socket: idle sessions get keepalive pings. */
  lastSentAt = Date.now();
  /** The kernel's send queue for this connection at the last look (bytes), where the OS tells. */
  kernelQueueBytes: number | undefined;
  /** Since when this session has been judged slow (ms since epoch); see SlowSessionJudge. */
  slowSince: number | undefined;
  private lastAckAdvanceAt: number | undefined;

  constructor(
    readonly id: string,
    private socket: WebSocket,
    private readonly hooks: SessionHooks,
    /** The client's attempt (`?attempt=`) that holds the session now, if it sends them. */
    private attempt?: ConnectionAttempt,
  ) {}

  get ws(): WebSocket {
    return this.socket;
  }

  get redirecting(): boolean {
    return this.redirect !== undefined;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  /** Local and remote port of the client connection, as the kernel lists it (undefined once it closed). `ws` keeps its socket private. */
  get tcpPorts(): { readonly local: number; readonly remote: number } | undefined {
    const tcp = (this.socket as unknown as { _socket?: Socket })._socket;
    return tcp?.localPort !== undefined && tcp.remotePort !== undefined ? { local: tcp.localPort, remote: tcp.remotePort } : undefined;
  }

  /** What is waiting on the way to this client, from the user-space buffer to the client's acks. */
  load(): SendLoad {
    let unackedBytes = 0;
    let oldestUnackedAt: number | undefined;
    for (const { lag } of this.cursors.values()) {
      unackedBytes += lag.unackedBytes;
      const at = lag.oldestUnackedAt;
      if (at !== undefined && (oldestUnackedAt === undefined || at < oldestUnackedAt)) oldestUnackedAt = at;
    }
    return {
      bufferedBytes: this.socket.bufferedAmount,
      kernelQueueBytes: this.kernelQueueBytes,
      unackedBytes,
      oldestUnackedAt,
      lastAckAdvanceAt: this.lastAckAdvanceAt,
      redirecting: this.redirect !== undefined,
    };
  }

  /**
   * A reconnect with proof replaces the old socket (and voids a redirect in flight); the old one
   * hears why. The old connection's positions go with it (their holds linger, as on a close):
   * what was sent on it may never have arrived, so the new connection gets nothing until its
   * client says where it stands (`sub` with `from`). Pumping on from the old positions sent a
   * client that moved with the old socket still open later sequences first, and the ones it
   * missed only after its `sub` rewound them (found by the chaos `lossy-client-link` scenario).
   */
  rebind(socket: WebSocket, now: number, attempt?: ConnectionAttempt): void {
    const old = this.socket;
    this.socket = socket;
    this.attempt = attempt;
    // A probe ping still out on the old connection is never answered on this one: without this the probe would skip the session for good.
    this.pingSentAt = undefined;
    this.blocked = false;
    this.kernelQueueBytes = undefined;
    this.slowSince = undefined;
    this.settleRedirect('refused');
    this.releaseCursors(now);
    if (old !== socket) old.close(CloseCode.SessionReplaced, 'another connection resumed this session');
  }

  /** Whether `arriving` is an attempt its client gave up on before the one holding the session now. */
  isStale(arriving: ConnectionAttempt | undefined): boolean {
    return isStaleAttempt(arriving, this.attempt);
  }

  isOn(socket: WebSocket): boolean {
    return this.socket === socket;
  }

  subscribe(feed: TopicFeed, from: number | undefined): void {
    // A subscribe while a redirect is out means the client is back: the target refused it.
    this.settleRedirect('refused');
    this.cursors.set(feed.topic, { feed, next: from, need: from, lag: new AckLag() });
    feed.listeners.add(this);
    this.pumpAll();
  }

  /** Stops reading `topic`; its hold lingers a while, as when the connection closes. */
  unsubscribe(topic: string, now: number): void {
    const cursor = this.cursors.get(topic);
    if (!cursor) return;
    this.cursors.delete(topic);
    cursor.feed.listeners.delete(this);
    const need = cursor.need ?? cursor.next;
    if (need !== undefined) cursor.feed.linger(need, now);
  }

  ack(topic: string, seq: number, now: number): void {
    const cursor = this.cursors.get(topic);
    if (!cursor) return;
    if (seq + 1 > (cursor.need ?? 0)) this.lastAckAdvanceAt = now;
    cursor.need = Math.max(cursor.need ?? 0, seq + 1);
    cursor.lag.acked(seq);
  }

  needOn(topic: string): number | undefined {
    const cursor = this.cursors.get(topic);
    return cursor?.need ?? cursor?.next;
  }

  pumpAll(): void {
    for (const { feed } of this.cursors.values()) this.pump(feed, feed.log.head);
  }

  pump(feed: TopicFeed, upTo: number): void {
    if (this.redirect || this.blocked || this.hooks.gate.silenced) return;
    const cursor = this.cursors.get(feed.topic);
    if (!cursor) return;
    const { log } = feed;
    if (cursor.next === undefined) {
      if (!feed.synced) return;
      cursor.next = log.head; // a subscribe without `from` starts live
      cursor.need = cursor.next;
    }
    let next: number = cursor.next;
    const now = Date.now();
    try {
      while (next < upTo) {
        if (this.socket.bufferedAmount >= this.hooks.highWaterBytes) {
          this.blocked = true;
          this.hooks.onBlocked(this);
          return;
        }
        if (next < log.oldest) {
          if (next >= feed.lostBelow) {
            feed.requestBackfill(next); // pumped again when it lands
            return;
          }
          next = this.gap(cursor, feed.topic, next, Math.min(feed.lostBelow, log.oldest) - 1);
          continue;
        }
        const message = log.get(next);
        if (message) {
          this.socket.send(message.wire, { binary: false });
          cursor.lag.sent(next, message.wire.length, now);
          this.lastSentAt = now;
          next += 1;
          continue;
        }
        const hole = log.holeAt(next);
        if (!hole) return;
        next = this.gap(cursor, feed.topic, next, hole.to);
      }
    } finally {
      cursor.next = next;
    }
  }

  /**
   * Sends `frame` and stops delivering here: the target takes over from the
   * client's last sequence. Resolves how the redirect ended (see RedirectOutcome).
   */
  sendRedirect(frame: RedirectFrame, now: number): Promise<'moved' | 'refused' | 'gone'> {
    return new Promise((settle) => {
      this.redirect = { target: frame.target, sentAt: now, settle };
      this.send(frame);
    });
  }

  /** The socket closed: the redirect (if any) ends as moved or gone, and the feeds keep its holds a while. */
  detach(code: number, redirectedCode: number, now: number): void {
    this.settleRedirect(code === redirectedCode ? 'moved' : 'gone');
    this.releaseCursors(now);
  }

  /** Stops every topic's delivery; the feeds keep what the client may still need a while. */
  private releaseCursors(now: number): void {
    for (const cursor of this.cursors.values()) {
      cursor.feed.listeners.delete(this);
      const need = cursor.need ?? cursor.next;
      if (need !== undefined) cursor.feed.linger(need, now);
    }
    this.cursors.clear();
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Non-message frames; held back (not dropped) while the gateway is silenced. */
  send(frame: ServerFrame): void {
    if (this.hooks.gate.silenced) this.held.push(frame);
    else this.write(JSON.stringify(frame));
  }

  /** A WebSocket ping: keepalive for an idle session, or an RTT probe. */
  ping(now: number, payload?: Buffer): void {
    this.socket.ping(payload);
    this.lastSentAt = now;
  }

  /** The gateway speaks again: what was held goes first, then delivery resumes. */
  flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const frame of held) this.write(JSON.stringify(frame));
    this.pumpAll();
  }

  private gap(cursor: Cursor, topic: string, from: number, to: number): number {
    this.write(JSON.stringify({ t: 'gap', topic, from, to } satisfies GapFrame));
    // Those messages can never be sent again, so holding them would only pin memory.
    cursor.need = Math.max(cursor.need ?? 0, to + 1);
    return to + 1;
  }

  private write(text: string): void {
    this.socket.send(text);
    this.lastSentAt = Date.now();
  }

  private settleRedirect(outcome: 'moved' | 'refused' | 'gone'): void {
    const redirect = this.redirect;
    this.redirect = undefined;
    redirect?.settle(outcome);
  }
}

import { type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrame, CloseCode, isValidSessionId, parseFrame } from '#core';
import { type RedirectAuthority } from './redirect-authority.js';
import { Session } from './session.js';
import { TopicFeed } from './topic-feed.js';
import { UpstreamLink } from './upstream-link.js';

export interface SessionHubOptions {
  readonly gatewayId: string;
  readonly publisherUrl: string;
  readonly topics: readonly string[];
  readonly capacity: number;
  /** Messages per topic kept for resumes; match the publisher's retention. */
  readonly replayWindow: number;
  readonly tokens: RedirectAuthority;
  readonly onError: (error: Error) => void;
}

export interface RedirectTarget {
  readonly gatewayId: string;
  /** The target's client address, ws://… */
  readonly address: string;
}

/**
 * The reference gateway's data plane: accepts client sessions on `/ws`, feeds
 * them from the upstream, and moves them to other gateways on request.
 */
export class SessionHub {
  private readonly sessions = new Map<string, Session>();
  private readonly feeds = new Map<string, TopicFeed>();
  private readonly upstream: UpstreamLink;
  private readonly wss: WebSocketServer;
  private accepting = true;

  constructor(
    server: Server,
    private readonly options: SessionHubOptions,
  ) {
    for (const topic of options.topics) this.feeds.set(topic, new TopicFeed(topic, options.replayWindow));
    this.upstream = new UpstreamLink(options.publisherUrl, this.feeds, options.onError);
    this.upstream.start();
    this.wss = new WebSocketServer({ server, path: '/ws' });
    this.wss.on('connection', (socket, request) => void this.accept(socket, request));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Quarantine: existing sessions stay, new ones are refused so clients pick another gateway. */
  setAccepting(accepting: boolean): void {
    this.accepting = accepting;
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * Sends each named session a signed redirect to a target, spreading them
   * round-robin. The session stays here until the client leaves, so a refused
   * redirect loses nothing.
   */
  async redirect(sessionIds: readonly string[], targets: readonly RedirectTarget[]): Promise<number> {
    if (targets.length === 0) throw new Error('redirect needs at least one target');
    let sent = 0;
    for (const id of sessionIds) {
      const session = this.sessions.get(id);
      const target = targets[sent % targets.length];
      if (!session || !target || session.redirectTarget) continue;
      const token = await this.options.tokens.issue(id, target.gatewayId);
      session.redirect({ t: 'redirect', url: `${target.address}?session=${encodeURIComponent(id)}`, token, target: target.gatewayId });
      sent += 1;
    }
    return sent;
  }

  close(): void {
    this.upstream.stop();
    for (const session of this.sessions.values()) session.close(CloseCode.GoingAway, 'gateway shutting down');
    this.wss.close();
  }

  private async accept(socket: WebSocket, request: IncomingMessage): Promise<void> {
    const url = new URL(request.url ?? '/', 'ws://gateway');
    const sessionId = url.searchParams.get('session') ?? '';
    if (!isValidSessionId(sessionId)) {
      socket.close(CloseCode.ProtocolError, 'missing or invalid ?session= id');
      return;
    }
    const refusal = await this.refusal(sessionId, url.searchParams.get('token'));
    if (refusal) {
      socket.close(refusal.code, refusal.reason);
      return;
    }
    const session = this.bind(sessionId, socket);
    socket.on('message', (raw) => this.onFrame(session, socket, raw.toString()));
    socket.on('close', () => this.onClose(session, socket));
    socket.on('error', () => socket.terminate());
    session.send({ t: 'welcome', gatewayId: this.options.gatewayId, session: sessionId });
  }

  private async refusal(sessionId: string, token: string | null): Promise<{ code: number; reason: string } | undefined> {
    if (token !== null) {
      const admission = await this.options.tokens.admit(token, sessionId);
      if (!admission.ok) return admission;
    } else if (!this.accepting) {
      return { code: CloseCode.NotAccepting, reason: 'gateway is not accepting new sessions' };
    }
    if (!this.sessions.has(sessionId) && this.sessions.size >= this.options.capacity) {
      return { code: CloseCode.NotAccepting, reason: 'gateway is at capacity' };
    }
    return undefined;
  }

  private bind(sessionId: string, socket: WebSocket): Session {
    const existing = this.sessions.get(sessionId);
    if (existing) {
      existing.rebind(socket);
      return existing;
    }
    const session = new Session(sessionId, socket);
    this.sessions.set(sessionId, session);
    return session;
  }

  private onFrame(session: Session, socket: WebSocket, raw: string): void {
    const frame = parseFrame(ClientFrame, raw);
    if (!frame) {
      socket.close(CloseCode.ProtocolError, 'unparseable frame');
      return;
    }
    if (frame.t === 'ack') return session.ack(frame.topic, frame.seq);
    const feed = this.feeds.get(frame.topic);
    if (!feed) {
      socket.close(CloseCode.ProtocolError, `unknown topic ${frame.topic}`);
      return;
    }
    session.subscribe(feed, frame.from);
  }

  private onClose(session: Session, socket: WebSocket): void {
    if (!session.isOn(socket)) return;
    session.detach();
    this.sessions.delete(session.id);
  }
}

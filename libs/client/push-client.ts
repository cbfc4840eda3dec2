import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { type AckFrame, CloseCode, type RedirectFrame, type ServerFrame, ServerFrame as ServerFrameSchema, type SubscribeFrame, parseFrame, peekRedirectClaims } from '#core';
import { DeliveryLedger } from './delivery-ledger.js';

export interface PushClientOptions {
  readonly sessionId: string;
  /** Client addresses (ws://…/ws) of gateways to try, in order, when not redirected. */
  readonly gateways: readonly string[];
  readonly topics: readonly string[];
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Source of jitter; injectable so tests are repeatable. */
  readonly random?: () => number;
  readonly onEvent?: (event: ClientEvent) => void;
  /** Each message, once, in order — what the application sees. */
  readonly onMessage?: (topic: string, seq: number, data: string) => void;
  /** Every message as it arrives on the active connection, before duplicates and late ones are dropped (chaos audits these). */
  readonly onArrival?: (topic: string, seq: number) => void;
  /** Ack after this many messages on a topic… (default 100) */
  readonly ackEvery?: number;
  /** …and at least this often while messages arrive (ms, default 2 000): the gateway holds what is not acked. */
  readonly ackIntervalMs?: number;
  /** Give up on a redirect target that has not welcomed us after this long (ms, default 10 000; tokens live 15 s). */
  readonly redirectTimeoutMs?: number;
  /**
   * Leave a gateway that has sent nothing — no message, no ping — for this long, and resume
   * elsewhere (ms, default 5 000; gateways ping idle sessions every second). Also bounds
   * the opening handshake, so a frozen gateway cannot hold a reconnect either.
   */
  readonly silenceDeadlineMs?: number;
}

export type ClientEvent =
  | { readonly kind: 'connected'; readonly at: number; readonly gatewayId: string; readonly via: 'seed' | 'redirect' }
  | { readonly kind: 'disconnected'; readonly at: number; readonly gatewayId: string | undefined; readonly code: number; readonly reason: string }
  | { readonly kind: 'redirect-refused'; readonly at: number; readonly target: string; readonly code: number; readonly reason: string }
  /** A redirect whose `url` or `target` is not the gateway its token names: not followed, the client stays. */
  | { readonly kind: 'redirect-ignored'; readonly at: number; readonly target: string; readonly url: string }
  | { readonly kind: 'server-silent'; readonly at: number; readonly gatewayId: string | undefined; readonly silentForMs: number };

/** Counts a test or the bench reads: what the application got, and how the connection moved. */
export interface ClientCounters {
  readonly received: number;
  /** Sequences never delivered: skipped ones and those a gateway declared gone (`gap`). */
  readonly lost: number;
  readonly duplicates: number;
  readonly reorders: number;
  readonly redirectsFollowed: number;
  readonly redirectsRefused: number;
  /** Redirects not followed because they pointed somewhere their token does not name. */
  readonly redirectsIgnored: number;
  /** Connections opened again after one was lost (not counting redirects). */
  readonly reconnects: number;
  /** Gateways left because they went silent past the deadline. */
  readonly silentServersLeft: number;
}

interface PendingRedirect {
  readonly frame: RedirectFrame;
  readonly at: number;
  readonly socket: WebSocket;
  readonly timer: NodeJS.Timeout;
}

/**
 * A push client that never loses its place: it resumes every topic from the
 * last sequence it delivered, follows signed redirects without dropping its
 * current connection until the target welcomes it, reconnects with jittered
 * backoff when a gateway disappears, and hands each message to the application
 * once and in order (duplicates and late arrivals are counted and dropped).
 */
export class PushClient {
  readonly ledgers = new Map<string, DeliveryLedger>();
  /** Redirect received → target's welcome, per completed redirect (ms). */
  readonly redirectInterruptionsMs: number[] = [];
  /** When the current connection was welcomed (ms since epoch). */
  connectedAt: number | undefined;
  private active: WebSocket | undefined;
  private activeGateway: string | undefined;
  /** The gateway this client was last welcomed by: named on a fresh connection so the new gateway can count who came back from where. */
  private lastGateway: string | undefined;
  private redirect: PendingRedirect | undefined;
  private readonly acked = new Map<string, number>();
  private attempt = 0;
  private seedIndex = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  /** When the current connection last heard anything from its gateway. */
  private lastHeardAt = 0;
  private lastSilenceCheckAt = 0;
  private silenceVerdictDeferred = false;
  private silentServersLeft = 0;
  private redirectsFollowed = 0;
  private redirectsRefused = 0;
  private redirectsIgnored = 0;
  /** The session's resume secret from the last welcome: proof that this session is ours. */
  private resumeSecret: string | undefined;
  private reconnects = 0;
  /** Reading is stalled on purpose (`stallReading`): the silence watch waits too. */
  private stalled = false;
  private readonly random: () => number;
  /**
   * Sent as `?attempt=<instance>.<count>` with every connection, so a gateway that upgrades an
   * attempt we already gave up on after our next one does not let it take the session (and
   * close our live connection with SessionReplaced, on which we stop).
   */
  private readonly instance = randomBytes(9).toString('base64url');
  private connections = 0;

  constructor(private readonly options: PushClientOptions) {
    for (const topic of options.topics) this.ledgers.set(topic, new DeliveryLedger());
    this.random = options.random ?? Math.random;
  }

  get gatewayId(): string | undefined {
    return this.activeGateway;
  }

  /** Host and port the current connection was opened to (a gateway, or a proxy in front of one). */
  get host(): string | undefined {
    return this.active ? new URL(this.active.url).host : undefined;
  }

  get connected(): boolean {
    return this.active?.readyState === WebSocket.OPEN && this.activeGateway !== undefined;
  }

  get counters(): ClientCounters {
    const ledgers = [...this.ledgers.values()];
    const sum = (pick: (l: DeliveryLedger) => number): number => ledgers.reduce((n, l) => n + pick(l), 0);
    return {
      received: sum((l) => l.received),
      lost: sum((l) => l.lost),
      duplicates: sum((l) => l.duplicates),
      reorders: sum((l) => l.reorders),
      redirectsFollowed: this.redirectsFollowed,
      redirectsRefused: this.redirectsRefused,
      redirectsIgnored: this.redirectsIgnored,
      reconnects: this.reconnects,
      silentServersLeft: this.silentServersLeft,
    };
  }

  start(): void {
    this.ackTimer = setInterval(() => this.ackAll(), this.options.ackIntervalMs ?? 2_000);
    this.ackTimer.unref();
    const deadline = this.silenceDeadline;
    const everyMs = Math.max(50, Math.min(1_000, deadline / 5));
    this.lastSilenceCheckAt = Date.now();
    this.silenceTimer = setInterval(() => this.checkSilence(deadline, everyMs), everyMs);
    this.silenceTimer.unref();
    this.connectToSeed();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.ackTimer);
    clearInterval(this.silenceTimer);
    if (this.redirect) clearTimeout(this.redirect.timer);
    this.redirect?.socket.terminate();
    this.active?.close(1000, 'client done');
  }

  /**
   * Stops reading the current connection for `forMs`, then reads on: a consumer that stops
   * taking what it is sent. Its bytes stay in the kernel and no ack goes out (nothing new is
   * delivered), and the silence watch waits as well (a client that does not read does not
   * watch either). False when there is no open connection to stall.
   */
  stallReading(forMs: number): boolean {
    const socket = this.active;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.stalled) return false;
    this.stalled = true;
    socket.pause();
    setTimeout(() => {
      this.stalled = false;
      this.lastHeardAt = Date.now();
      socket.resume();
    }, forMs).unref();
    return true;
  }

  /**
   * Resumes the session on a new connection to `address` (the same gateway reached another
   * way, e.g. through a proxy) and closes the current one: an ordinary reconnect with the
   * resume proof, so nothing is lost. Later reconnects go to the seed gateways as before.
   * False when there is no open connection, or a redirect or a stall is under way.
   */
  moveTo(address: string): boolean {
    const current = this.active;
    if (!current || current.readyState !== WebSocket.OPEN || this.redirect || this.stalled) return false;
    // The new socket is the active one before the old closes, so that close is not taken for a lost connection.
    this.active = this.open(address, { resume: this.resumeSecret });
    current.close(1000, 'client moves');
    return true;
  }

  /** The first gateway in the list, then after a failure a random *other* one, so a crowd spreads out. */
  private connectToSeed(): void {
    const seed = this.options.gateways[this.seedIndex];
    if (seed && !this.stopped) this.active = this.open(seed, { resume: this.resumeSecret });
  }

  private pickAnotherSeed(): void {
    const count = this.options.gateways.length;
    if (count > 1) this.seedIndex = (this.seedIndex + 1 + Math.floor(this.random() * (count - 1))) % count;
  }

  private open(address: string, proof: { readonly token?: string; readonly resume?: string }): WebSocket {
    const url = new URL(address);
    url.searchParams.set('session', this.options.sessionId);
    if (proof.token !== undefined) url.searchParams.set('token', proof.token);
    if (proof.resume !== undefined) url.searchParams.set('resume', proof.resume);
    if (this.lastGateway !== undefined) url.searchParams.set('from', this.lastGateway);
    this.connections += 1;
    url.searchParams.set('attempt', `${this.instance}.${this.connections}`);
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: this.silenceDeadline });
    const heard = (): void => {
      if (socket === this.active) this.lastHeardAt = Date.now();
    };
    socket.on('open', heard);
    socket.on('ping', heard);
    socket.on('message', (raw) => {
      heard();
      const frame = parseFrame(ServerFrameSchema, raw.toString());
      if (frame) this.onFrame(socket, frame);
    });
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
    socket.on('error', () => undefined); // 'close' follows and decides what to do
    return socket;
  }

  private onFrame(socket: WebSocket, frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        return this.onWelcome(socket, frame.gatewayId, frame.resume);
      case 'msg':
        if (socket === this.active) this.onMessage(socket, frame.topic, frame.seq, frame.data);
        return;
      case 'gap':
        if (socket === this.active) this.ledgers.get(frame.topic)?.declareGap(frame.from, frame.to);
        return;
      case 'redirect':
        if (socket === this.active && !this.redirect) this.follow(socket, frame);
        return;
      case 'subscribed':
      case 'unsubscribed':
        return;
    }
  }

  /**
   * Opens the target with the token; the current connection stays until the target welcomes us.
   * Only to the gateway the token names (its target id and client address): anything else is
   * not followed, and resuming on the current connection tells the source so.
   */
  private follow(socket: WebSocket, frame: RedirectFrame): void {
    if (!redirectMatchesToken(frame, this.options.sessionId)) {
      this.redirectsIgnored += 1;
      this.options.onEvent?.({ kind: 'redirect-ignored', at: Date.now(), target: frame.target, url: frame.url });
      this.subscribeAll(socket);
      return;
    }
    this.startRedirect(frame);
  }

  private startRedirect(frame: RedirectFrame): void {
    const socket = this.open(frame.url, { token: frame.token });
    const timer = setTimeout(() => socket.terminate(), this.options.redirectTimeoutMs ?? 10_000);
    this.redirect = { frame, at: Date.now(), socket, timer };
  }

  private onWelcome(socket: WebSocket, gatewayId: string, resume: string | undefined): void {
    const redirect = this.redirect;
    const viaRedirect = redirect?.socket === socket;
    if (viaRedirect) {
      clearTimeout(redirect.timer);
      this.redirect = undefined;
      const previous = this.active;
      this.active = socket;
      this.lastHeardAt = Date.now();
      // Leaving with Redirected tells the source the move is done (it forgets the session only then).
      previous?.close(CloseCode.Redirected, 'redirected');
      this.redirectInterruptionsMs.push(Date.now() - redirect.at);
      this.redirectsFollowed += 1;
    } else if (socket !== this.active) {
      return;
    }
    this.activeGateway = gatewayId;
    if (resume !== undefined) this.resumeSecret = resume;
    this.lastGateway = gatewayId;
    this.connectedAt = Date.now();
    this.attempt = 0;
    this.subscribeAll(socket);
    this.options.onEvent?.({ kind: 'connected', at: Date.now(), gatewayId, via: viaRedirect ? 'redirect' : 'seed' });
  }

  private onMessage(socket: WebSocket, topic: string, seq: number, data: string): void {
    const ledger = this.ledgers.get(topic);
    this.options.onArrival?.(topic, seq);
    if (!ledger?.accept(seq)) return;
    this.options.onMessage?.(topic, seq, data);
    if (ledger.received % (this.options.ackEvery ?? 100) === 0) this.ack(socket, topic, ledger.last);
  }

  private get silenceDeadline(): number {
    return this.options.silenceDeadlineMs ?? 5_000;
  }

  /**
   * A gateway that says nothing for the deadline is hung or frozen (a SIGSTOPped process
   * keeps its sockets open): drop it and resume elsewhere from the last sequence, as
   * after a crash. A pending redirect has its own timeout.
   *
   * A check that comes late means this process was the one not running (a starved host, a
   * debugger, a suspended laptop): what the gateway sent meanwhile still waits unread in the
   * socket, and timers run before sockets are read. Such a check defers its verdict to the next,
   * which comes after that read; never two in a row, so a starved client still leaves a silent gateway.
   */
  private checkSilence(deadline: number, everyMs: number): void {
    const now = Date.now();
    const late = now - this.lastSilenceCheckAt > 2 * everyMs;
    this.lastSilenceCheckAt = now;
    const deferredLast = this.silenceVerdictDeferred;
    this.silenceVerdictDeferred = false;
    const socket = this.active;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.redirect || this.stalled) return;
    const silentForMs = now - this.lastHeardAt;
    if (silentForMs < deadline) return;
    if (late && !deferredLast) {
      this.silenceVerdictDeferred = true;
      return;
    }
    this.silentServersLeft += 1;
    this.options.onEvent?.({ kind: 'server-silent', at: now, gatewayId: this.activeGateway, silentForMs });
    socket.terminate(); // 'close' follows: reconnect to another gateway
  }

  private ackAll(): void {
    const socket = this.active;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    for (const [topic, ledger] of this.ledgers) if (ledger.last > (this.acked.get(topic) ?? -1)) this.ack(socket, topic, ledger.last);
  }

  private ack(socket: WebSocket, topic: string, seq: number): void {
    this.acked.set(topic, seq);
    socket.send(JSON.stringify({ t: 'ack', topic, seq } satisfies AckFrame));
  }

  /** Resumes every topic right after the last delivered sequence (or live, the first time). */
  private subscribeAll(socket: WebSocket): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    for (const [topic, ledger] of this.ledgers) {
      const frame: SubscribeFrame = ledger.last >= 0 ? { t: 'sub', topic, from: ledger.last + 1 } : { t: 'sub', topic };
      socket.send(JSON.stringify(frame));
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    const redirect = this.redirect;
    if (redirect?.socket === socket) {
      // The target refused (or never answered): stay, and tell the source by resuming with it.
      clearTimeout(redirect.timer);
      this.redirect = undefined;
      this.redirectsRefused += 1;
      this.options.onEvent?.({ kind: 'redirect-refused', at: Date.now(), target: redirect.frame.target, code, reason });
      if (this.active?.readyState === WebSocket.OPEN) this.subscribeAll(this.active);
      else if (!this.active) this.scheduleReconnect();
      return;
    }
    if (socket !== this.active) return;
    this.options.onEvent?.({ kind: 'disconnected', at: Date.now(), gatewayId: this.activeGateway, code, reason });
    this.active = undefined;
    this.activeGateway = undefined;
    // Another connection holds the session with its proof: fighting it would only bounce the session between the two.
    // An unknown topic is a configuration error that no reconnect can fix.
    if (code === CloseCode.SessionReplaced || code === CloseCode.UnknownTopic) return;
    // With a redirect under way its target decides: a welcome makes it the connection, a refusal reconnects.
    if (!this.stopped && !this.redirect) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 2_000, (this.options.initialBackoffMs ?? 50) * 2 ** this.attempt);
    this.attempt += 1;
    this.reconnects += 1;
    this.pickAnotherSeed();
    // Jitter between half and all of the ceiling spreads a crowd of clients out.
    const delay = ceiling * (0.5 + this.random() / 2);
    this.retryTimer = setTimeout(() => this.connectToSeed(), delay);
  }
}

/** The redirect goes where its token says: the same target id, and the same client address (plus our session). */
const redirectMatchesToken = (frame: RedirectFrame, sessionId: string): boolean => {
  const claims = peekRedirectClaims(frame.token);
  if (!claims || claims.targetGatewayId !== frame.target || claims.sessionId !== sessionId) return false;
  try {
    const url = new URL(frame.url);
    if (url.searchParams.get('session') !== sessionId) return false;
    url.searchParams.delete('session');
    return url.toString() === new URL(claims.targetAddress).toString();
  } catch {
    return false;
  }
};

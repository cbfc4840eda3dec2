import { type Logger } from '#runtime';
import { type IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { ATTEMPT_FORMAT, type ArrivalWindow, ClientFrame, CloseCode, type ConnectionAttempt, inArrivalWindow, isValidSessionId, parseConnectionAttempt, parseFrame } from '#core';
import type {
  ControlledGateway,
  DataPlaneFaults,
  DataPlaneSnapshot,
  MigrationTarget,
  RedirectSettlement,
  SessionArrivals,
} from '#agent/controlled-gateway';
import { ClientRttProbe } from './client-rtt-probe.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { DataPlaneCounters } from './data-plane-counters.js';
import { DeliveryGate } from './delivery-gate.js';
import { connectionKey, readSendQueues } from './kernel-send-queues.js';
import { type RedirectAuthority } from './redirect-authority.js';
import { SendPressure } from './send-pressure.js';
import { Session } from './session.js';
import { type SlowSessionLimits, judgeSendLoad } from './slow-session.js';
import { TopicFeed } from './topic-feed.js';
import { UpstreamLink } from './upstream/upstream-link.js';
import { WriteBlockFault } from './write-block-fault.js';

export interface SessionHubOptions {
  readonly gatewayId: string;
  readonly publisherUrl: string;
  readonly topics: readonly string[];
  readonly capacity: number;
  /** Recent messages per topic always kept for resumes. */
  readonly replayWindow: number;
  /** Hard cap per topic: a session further behind gets an explicit gap (default 100 000). */
  readonly maxRetain?: number;
  /** How long a departed session's hold outlives it (default 15 s, a redirect token's life). */
  readonly releaseHoldMs?: number;
  /** Per-session send buffer (bytes) at which delivery pauses until it drains (default 64 KiB). */
  readonly sendHighWaterBytes?: number;
  readonly rttProbe?: { readonly intervalMs: number; readonly perRound: number };
  /** Largest frame a client may send (bytes, default 16 KiB); a bigger one closes the connection with 1009. */
  readonly maxFrameBytes?: number;
  /**
   * A connection's memory budget (bytes, default 1 MiB): its send backlog may not grow past it.
   * Flow control keeps it near the high-water mark; a connection beyond the budget anyway is
   * closed with 1013, and its client resumes elsewhere from its last sequence.
   */
  readonly backlogBudgetBytes?: number;
  /** Open connections allowed per client IP address (default 1 000; 0: no limit). */
  readonly maxConnectionsPerIp?: number;
  /** Kernel send queue (bytes) past which a client is not taking what it is sent (default 512 KiB). */
  readonly kernelSendQueueHighWaterBytes?: number;
  /** A client that leaves a message unacknowledged this long is not reading (default 5 000 ms). */
  readonly ackDeadlineMs?: number;
  /** How long a slow but progressing session counts as `retrying` before it is `stuck` (default 15 000 ms). */
  readonly retryBudgetMs?: number;
  /** How often the kernel's per-connection send queues are read (default 1 000 ms). */
  readonly sendQueueProbeMs?: number;
  /** A session sent nothing for this long gets a WebSocket ping, so its client knows the gateway lives (default 1 000 ms). */
  readonly keepaliveIntervalMs?: number;
  readonly tokens: RedirectAuthority;
  readonly onError: (error: Error) => void;
  /** Redirected clients this gateway turns away are logged here. */
  readonly log?: Logger;
}

/** The path clients connect to. */
export const CLIENT_PATH = '/ws';

/** Client frames are `sub` and `ack`, a few hundred bytes at most: 16 KiB leaves room, and no more. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
export const DEFAULT_BACKLOG_BUDGET_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 1_000;
/** How long a connection shed for its backlog may take to read its way to the close frame. */
const BACKLOG_CLOSE_GRACE_MS = 5_000;
/** How long a shed session's close handshake may take before its socket is cut. */
const SHED_GRACE_MS = 1_000;

/**
 * The reference gateway's data plane: accepts client sessions on `/ws`, feeds
 * them from the upstream, holds at the upstream what they still need, and moves
 * them to other gateways one signed redirect at a time.
 */
export class SessionHub implements ControlledGateway {
  readonly counters = new DataPlaneCounters();
  private readonly sessions = new Map<string, Session>();
  private readonly feeds = new Map<string, TopicFeed>();
  private readonly upstream: UpstreamLink;
  private readonly wss: WebSocketServer;
  private readonly perIp: ConnectionLimiter;
  private readonly backlogBudget: number;
  private readonly gate = new DeliveryGate();
  private readonly pressure: SendPressure;
  private readonly rtt: ClientRttProbe;
  private readonly writeBlock = new WriteBlockFault();
  private readonly maintenance: NodeJS.Timeout;
  private readonly queueProbe: NodeJS.Timeout;
  private readonly highWater: number;
  private readonly limits: SlowSessionLimits;
  private readonly keepaliveMs: number;
  /** Whether the OS told us the kernel's send queues at the last look (undefined: not looked yet). */
  private kernelQueuesReadable: boolean | undefined;
  /** Upgrades that arrived while silenced: a hung gateway does not answer them either. */
  private parkedUpgrades: (() => void)[] = [];
  /** Admissions between the capacity check and the bind (token checks are async). */
  private admitting = 0;
  private accepting = true;
  /** Sessions that arrived here from another gateway (`?from=`, a client naming where it was), kept while they stay. */
  private readonly arrivals = new Map<string, { readonly from: string; readonly at: number; readonly redirected: boolean }>();

  constructor(private readonly options: SessionHubOptions) {
    this.highWater = options.sendHighWaterBytes ?? 64 * 1024;
    // maxPayload makes `ws` refuse an oversized frame from its header, before reading (or buffering) its payload.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, perMessageDeflate: false });
    this.perIp = new ConnectionLimiter(options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP);
    this.backlogBudget = options.backlogBudgetBytes ?? DEFAULT_BACKLOG_BUDGET_BYTES;
    this.limits = {
      highWaterBytes: this.highWater,
      kernelHighWaterBytes: options.kernelSendQueueHighWaterBytes ?? 512 * 1024,
      ackDeadlineMs: options.ackDeadlineMs ?? 5_000,
      retryBudgetMs: options.retryBudgetMs ?? 15_000,
    };
    this.keepaliveMs = options.keepaliveIntervalMs ?? 1_000;
    const retention = { minRetain: options.replayWindow, maxRetain: options.maxRetain ?? 100_000, releaseHoldMs: options.releaseHoldMs ?? 15_000 };
    for (const topic of options.topics) {
      this.feeds.set(topic, new TopicFeed(topic, retention, this.gate, (t, from, to) => this.upstream.fetch(t, from, to)));
    }
    this.upstream = new UpstreamLink(options.publisherUrl, this.feeds, (error) => this.fail(error));
    this.upstream.start();
    this.pressure = new SendPressure(this.highWater);
    this.rtt = new ClientRttProbe(this.sessions, this.gate, options.rttProbe ?? { intervalMs: 250, perRound: 8 });
    this.wss.on('wsClientError', () => (this.counters.handshakeFailures += 1));
    this.maintenance = setInterval(() => this.maintain(), 100);
    this.maintenance.unref();
    this.queueProbe = setInterval(() => this.readKernelQueues(), options.sendQueueProbeMs ?? 1_000);
    this.queueProbe.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Quarantine: existing sessions stay, new ones (and redirected ones) are refused. */
  setAccepting(accepting: boolean): void {
    this.accepting = accepting;
  }

  shedSessions(code: number, reason: string): number {
    const shed = [...this.sessions.values()];
    for (const session of shed) {
      const socket = session.ws;
      socket.close(code, reason);
      // A socket whose close frame cannot get out (write-blocked, hung) is cut, so the client notices and resumes elsewhere.
      setTimeout(() => socket.terminate(), SHED_GRACE_MS).unref();
    }
    return shed.length;
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  hasSession(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** A handshake that never reached the WebSocket layer (the HTTP parser refused it). */
  countHandshakeFailure(): void {
    this.counters.handshakeFailures += 1;
  }

  /**
   * Sessions here now that came from `gatewayId` (within `window`, when given: see
   * `incidentArrivalWindow`), and when the first and last of them arrived.
   */
  arrivalsFrom(gatewayId: string, window?: ArrivalWindow): SessionArrivals {
    let count = 0;
    let firstAt: number | undefined;
    let lastAt: number | undefined;
    for (const [sessionId, arrival] of this.arrivals) {
      if (arrival.from !== gatewayId || (window && !inArrivalWindow(arrival, window)) || !this.sessions.has(sessionId)) continue;
      count += 1;
      firstAt = Math.min(firstAt ?? arrival.at, arrival.at);
      lastAt = Math.max(lastAt ?? arrival.at, arrival.at);
    }
    return { from: gatewayId, count, ...(firstAt === undefined ? {} : { firstAt }), ...(lastAt === undefined ? {} : { lastAt }) };
  }

  /** Answers an HTTP upgrade on `/ws`; false for any other path (the caller routes those). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'ws://gateway');
    if (url.pathname !== CLIENT_PATH) return false;
    const upgrade = (): void => this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, url));
    if (this.gate.silenced) this.parkedUpgrades.push(upgrade);
    else upgrade();
    return true;
  }

  async redirectSession(sessionId: string, target: MigrationTarget): Promise<RedirectSettlement> {
    const session = this.sessions.get(sessionId);
    const now = Date.now();
    if (!session || session.redirecting) return { outcome: 'absent', sentAt: now, settledAt: now };
    const token = await this.options.tokens.issue(sessionId, target);
    if (this.sessions.get(sessionId) !== session) return { outcome: 'absent', sentAt: now, settledAt: Date.now() };
    const url = new URL(target.address);
    url.searchParams.set('session', sessionId);
    const sentAt = Date.now();
    const outcome = await session.sendRedirect({ t: 'redirect', url: url.toString(), token, target: target.gatewayId }, sentAt);
    return { outcome, sentAt, settledAt: Date.now() };
  }

  snapshot(): DataPlaneSnapshot {
    const now = Date.now();
    let maxSendBufferBytes = 0;
    let maxUnackedBytes = 0;
    let maxUnackedAgeMs = 0;
    let maxKernelQueueBytes = 0;
    const counts = { retrying: 0, stuck: 0, lateAcks: 0 };
    for (const session of this.sessions.values()) {
      const load = session.load();
      maxSendBufferBytes = Math.max(maxSendBufferBytes, load.bufferedBytes);
      maxUnackedBytes = Math.max(maxUnackedBytes, load.unackedBytes);
      if (load.oldestUnackedAt !== undefined) maxUnackedAgeMs = Math.max(maxUnackedAgeMs, now - load.oldestUnackedAt);
      maxKernelQueueBytes = Math.max(maxKernelQueueBytes, load.kernelQueueBytes ?? 0);
      const { verdict, lateAcks } = judgeSendLoad(load, session.slowSince, now, this.limits);
      session.slowSince = verdict === 'ok' ? undefined : (session.slowSince ?? now);
      if (verdict !== 'ok') counts[verdict] += 1;
      if (lateAcks) counts.lateAcks += 1;
    }
    return {
      connections: this.sessions.size,
      capacity: this.options.capacity,
      accepting: this.accepting,
      maxSendBufferBytes,
      blockedSessions: counts.retrying + counts.stuck,
      retryingSessions: counts.retrying,
      lateAckSessions: counts.lateAcks,
      maxUnackedBytes,
      maxUnackedAgeMs,
      ...(this.kernelQueuesReadable ? { maxKernelSendQueueBytes: maxKernelQueueBytes } : {}),
      sendBufferHighWater: this.highWater,
      kernelSendQueueHighWater: this.limits.kernelHighWaterBytes,
      ackDeadlineMs: this.limits.ackDeadlineMs,
      rttSamplesMs: [...this.rtt.samplesMs],
      connectionsEnded: this.counters.connectionsEnded,
      handshakeFailures: this.counters.handshakeFailures,
      errors: this.counters.errors,
    };
  }

  applyFaults(faults: DataPlaneFaults): void {
    this.gate.latencyMs = faults.latencyMs;
    this.writeBlock.engaged = faults.writeBlock;
    const wasSilenced = this.gate.silenced;
    this.gate.silenced = faults.hang;
    if (wasSilenced && !faults.hang) this.speakAgain();
  }

  close(): void {
    clearInterval(this.maintenance);
    clearInterval(this.queueProbe);
    this.pressure.stop();
    this.rtt.stop();
    this.upstream.stop();
    for (const session of this.sessions.values()) session.close(CloseCode.GoingAway, 'gateway shutting down');
    this.wss.close();
  }

  private async accept(socket: WebSocket, url: URL): Promise<void> {
    socket.on('error', () => {
      this.counters.errors += 1;
      // A refused frame (1009, bad framing) comes with a close frame already queued: let it reach the client.
      if (socket.readyState !== WebSocket.CLOSING) socket.terminate();
    });
    socket.once('close', () => (this.counters.connectionsEnded += 1));
    const ip = remoteIp(socket);
    if (!this.perIp.tryAdmit(ip)) {
      socket.close(CloseCode.TooManyConnections, 'too many connections from this address');
      return;
    }
    socket.once('close', () => this.perIp.release(ip));
    const sessionId = url.searchParams.get('session') ?? '';
    if (!isValidSessionId(sessionId)) {
      socket.close(CloseCode.ProtocolError, 'missing or invalid ?session= id');
      return;
    }
    const attempt = parseConnectionAttempt(url.searchParams.get('attempt'));
    if (attempt === 'invalid') {
      socket.close(CloseCode.ProtocolError, `invalid ?attempt= (${ATTEMPT_FORMAT})`);
      return;
    }
    const token = url.searchParams.get('token');
    const refusal = this.admissionRefusal(sessionId);
    if (refusal) {
      if (token !== null) this.redirectRefused(sessionId, refusal);
      socket.close(CloseCode.NotAccepting, refusal);
      return;
    }
    // Reserve the slot before the (async) token check so concurrent arrivals cannot overshoot capacity.
    this.admitting += 1;
    const admission = token === null ? { ok: true as const } : await this.options.tokens.admit(token, sessionId);
    this.admitting -= 1;
    if (!admission.ok) {
      this.redirectRefused(sessionId, admission.reason);
      socket.close(admission.code, admission.reason);
      return;
    }
    if (socket.readyState !== WebSocket.OPEN) return; // the client gave up while its token was checked
    // Taking over a session connected here needs proof; a session id alone is only a name.
    if (token === null && this.sessions.has(sessionId) && !this.provesResume(sessionId, url.searchParams.get('resume'))) {
      this.options.log?.warn({ event: 'resume-refused', sessionId }, 'a connection asked for a connected session without proof');
      socket.close(CloseCode.SessionProofRequired, 'session is connected here: resuming it needs its resume secret or a redirect token');
      return;
    }
    const session = this.bind(sessionId, socket, attempt);
    if (!session) return;
    const from = url.searchParams.get('from');
    if (from && from !== this.options.gatewayId && !this.arrivals.has(sessionId)) this.arrivals.set(sessionId, { from, at: Date.now(), redirected: token !== null });
    socket.on('message', (raw, isBinary) => this.onFrame(session, socket, raw, isBinary));
    socket.on('close', (code) => this.onClose(session, socket, code));
    session.send({ t: 'welcome', gatewayId: this.options.gatewayId, session: sessionId, resume: this.options.tokens.resumeSecret(sessionId) });
  }

  private provesResume(sessionId: string, presented: string | null): boolean {
    return presented !== null && this.options.tokens.provesResume(sessionId, presented);
  }

  private redirectRefused(sessionId: string, reason: string): void {
    this.options.log?.warn({ event: 'redirect-refused', sessionId, reason }, 'redirected client refused');
  }

  /** Why a new session cannot be taken here, if it cannot; a session already here may always reconnect. */
  private admissionRefusal(sessionId: string): string | undefined {
    if (this.sessions.has(sessionId)) return undefined;
    if (!this.accepting) return 'gateway is not accepting new sessions';
    if (this.sessions.size + this.admitting >= this.options.capacity) return 'gateway is at capacity';
    return undefined;
  }

  /** The session, now on `socket`; undefined when `socket` is an attempt its client already gave up on. */
  private bind(sessionId: string, socket: WebSocket, attempt: ConnectionAttempt | undefined): Session | undefined {
    const existing = this.sessions.get(sessionId);
    if (existing?.isStale(attempt)) {
      this.options.log?.info({ event: 'stale-attempt-refused', sessionId, attempt }, 'a connection its client had already given up on arrived after the next one; the session stays');
      socket.close(CloseCode.SessionReplaced, 'a later connection of this client holds the session');
      return undefined;
    }
    if (existing) {
      this.pressure.forget(existing);
      existing.rebind(socket, Date.now(), attempt);
      this.rtt.watch(existing);
      return existing;
    }
    const hooks = { onBlocked: (s: Session) => this.pressure.add(s), highWaterBytes: this.highWater, gate: this.gate };
    const session = new Session(sessionId, socket, hooks, attempt);
    this.sessions.set(sessionId, session);
    this.rtt.watch(session);
    return session;
  }

  private onFrame(session: Session, socket: WebSocket, raw: RawData, isBinary: boolean): void {
    if (!session.isOn(socket)) return;
    if (isBinary) {
      this.counters.errors += 1;
      socket.close(CloseCode.ProtocolError, 'binary frames are not part of this protocol: send JSON text frames');
      return;
    }
    const frame = parseFrame(ClientFrame, raw.toString());
    if (!frame) {
      this.counters.errors += 1;
      socket.close(CloseCode.ProtocolError, 'unparseable frame');
      return;
    }
    if (frame.t === 'ack') {
      if (this.writeBlock.hearsAcks) session.ack(frame.topic, frame.seq, Date.now());
      return;
    }
    if (frame.t === 'unsub') {
      session.unsubscribe(frame.topic, Date.now());
      session.send({ t: 'unsubscribed', topic: frame.topic });
      return;
    }
    const feed = this.feeds.get(frame.topic);
    if (!feed) {
      // A close reason is at most 123 bytes: printable ASCII only, cut to fit.
      const reason = `unknown topic ${frame.topic.slice(0, 40)}; served: ${[...this.feeds.keys()].join(',')}`;
      socket.close(CloseCode.UnknownTopic, reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 123));
      return;
    }
    session.send({ t: 'subscribed', topic: frame.topic, ...(frame.from !== undefined ? { from: frame.from } : {}) });
    session.subscribe(feed, frame.from);
  }

  private onClose(session: Session, socket: WebSocket, code: number): void {
    if (!session.isOn(socket)) return;
    session.detach(code, CloseCode.Redirected, Date.now());
    this.pressure.forget(session);
    this.sessions.delete(session.id);
    this.arrivals.delete(session.id);
  }

  /** Every 100 ms: tell the upstream what is still needed, trim what is not, enforce the backlog budget, and ping sessions that heard nothing lately. */
  private maintain(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      if (session.bufferedBytes > this.backlogBudget) this.shed(session);
    }
    for (const feed of this.feeds.values()) {
      const held = feed.hold(now);
      if (feed.log.started) this.upstream.hold(feed.topic, held);
      feed.trim(held);
    }
    if (this.gate.silenced) return; // a hung gateway says nothing, which is how its clients find out
    for (const session of this.sessions.values()) if (now - session.lastSentAt >= this.keepaliveMs) session.ping(now);
  }

  /** The kernel's send queue per client connection, where the OS lists it (Linux /proc/net/tcp*). */
  private readKernelQueues(): void {
    if (this.kernelQueuesReadable === false || this.sessions.size === 0) return;
    const ports = new Set<number>();
    for (const session of this.sessions.values()) {
      const tcp = session.tcpPorts;
      if (tcp) ports.add(tcp.local);
    }
    const queues = readSendQueues(ports);
    this.kernelQueuesReadable = queues !== undefined;
    if (!queues) return;
    for (const session of this.sessions.values()) {
      const tcp = session.tcpPorts;
      session.kernelQueueBytes = tcp === undefined ? undefined : queues.get(connectionKey(tcp.local, tcp.remote));
    }
  }

  /**
   * Over its memory budget: the close frame (1013) queues behind the backlog, so a client that
   * reads gets everything and then the code; one that does not read is dropped after a grace
   * period, which is what actually frees the memory.
   */
  private shed(session: Session): void {
    const socket = session.ws;
    if (socket.readyState !== WebSocket.OPEN) return;
    session.close(CloseCode.BacklogExceeded, "send backlog over this connection's memory budget: resume from your last sequence");
    setTimeout(() => socket.terminate(), BACKLOG_CLOSE_GRACE_MS).unref();
  }

  private speakAgain(): void {
    for (const session of this.sessions.values()) session.flushHeld();
    const parked = this.parkedUpgrades;
    this.parkedUpgrades = [];
    for (const upgrade of parked) upgrade();
  }

  private fail(error: Error): void {
    this.counters.errors += 1;
    this.options.onError(error);
  }
}

/** `ws` keeps its TCP socket private; the remote address is what the per-IP limit counts. */
const remoteIp = (ws: WebSocket): string => (ws as unknown as { _socket?: { remoteAddress?: string } })._socket?.remoteAddress ?? 'unknown';

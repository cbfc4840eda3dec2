import { WebSocket } from 'ws';
import { CloseCode, type ServerFrame, ServerFrame as ServerFrameSchema, parseFrame, type RedirectFrame } from '#core';
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
  /** Ack every this many messages per topic (the gateway may hold messages until acked). */
  readonly ackEvery?: number;
}

export type ClientEvent =
  | { readonly kind: 'connected'; readonly at: number; readonly gatewayId: string; readonly via: 'seed' | 'redirect' }
  | { readonly kind: 'disconnected'; readonly at: number; readonly gatewayId: string | undefined; readonly code: number; readonly reason: string }
  | { readonly kind: 'redirect-refused'; readonly at: number; readonly target: string; readonly code: number; readonly reason: string };

/**
 * A push client that never loses its place: it resumes every topic from the
 * last sequence it delivered, follows signed redirects without dropping its
 * current connection until the target accepts, and reconnects with jittered
 * backoff when a gateway disappears.
 */
export class PushClient {
  readonly ledgers = new Map<string, DeliveryLedger>();
  /** Redirect received → target's welcome, per completed redirect. */
  readonly redirectInterruptionsMs: number[] = [];
  /** When the current connection was welcomed (ms since epoch). */
  connectedAt: number | undefined;
  private active: WebSocket | undefined;
  private activeGateway: string | undefined;
  private candidate: WebSocket | undefined;
  private attempt = 0;
  private seedIndex = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly random: () => number;

  constructor(private readonly options: PushClientOptions) {
    for (const topic of options.topics) this.ledgers.set(topic, new DeliveryLedger());
    this.random = options.random ?? Math.random;
  }

  get gatewayId(): string | undefined {
    return this.activeGateway;
  }

  get connected(): boolean {
    return this.active?.readyState === WebSocket.OPEN && this.activeGateway !== undefined;
  }

  start(): void {
    this.connectToSeed();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.candidate?.terminate();
    this.active?.close(1000, 'client done');
  }

  /** The first gateway in the list, then after a failure a random *other* one, so a crowd spreads out. */
  private connectToSeed(): void {
    const seed = this.options.gateways[this.seedIndex];
    if (seed) this.open(seed, undefined);
  }

  private pickAnotherSeed(): void {
    const count = this.options.gateways.length;
    if (count > 1) this.seedIndex = (this.seedIndex + 1 + Math.floor(this.random() * (count - 1))) % count;
  }

  private open(address: string, redirect: { frame: RedirectFrame; at: number } | undefined): void {
    const url = new URL(address);
    url.searchParams.set('session', this.options.sessionId);
    if (redirect) url.searchParams.set('token', redirect.frame.token);
    const socket = new WebSocket(url);
    if (redirect) this.candidate = socket;
    else this.active = socket;
    socket.on('message', (raw) => {
      const frame = parseFrame(ServerFrameSchema, raw.toString());
      if (frame) this.onFrame(socket, frame, redirect);
    });
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString(), redirect?.frame));
    socket.on('error', () => undefined); // 'close' follows and decides what to do
  }

  private onFrame(socket: WebSocket, frame: ServerFrame, redirect: { frame: RedirectFrame; at: number } | undefined): void {
    switch (frame.t) {
      case 'welcome':
        return this.onWelcome(socket, frame.gatewayId, redirect);
      case 'msg':
        return this.onMessage(socket, frame.topic, frame.seq);
      case 'gap':
        return this.ledgers.get(frame.topic)?.declareGap(frame.from, frame.to);
      case 'redirect':
        if (socket === this.active && !this.candidate) this.open(frame.url, { frame, at: Date.now() });
        return;
    }
  }

  private onWelcome(socket: WebSocket, gatewayId: string, redirect: { frame: RedirectFrame; at: number } | undefined): void {
    if (redirect && socket === this.candidate) {
      const previous = this.active;
      this.active = socket;
      this.candidate = undefined;
      previous?.close(CloseCode.Redirected, 'redirected');
      this.redirectInterruptionsMs.push(Date.now() - redirect.at);
    }
    this.activeGateway = gatewayId;
    this.connectedAt = Date.now();
    this.attempt = 0;
    this.subscribeAll(socket);
    this.options.onEvent?.({ kind: 'connected', at: Date.now(), gatewayId, via: redirect ? 'redirect' : 'seed' });
  }

  private onMessage(socket: WebSocket, topic: string, seq: number): void {
    if (socket !== this.active) return;
    const ledger = this.ledgers.get(topic);
    if (!ledger?.accept(seq)) return;
    if (ledger.received % (this.options.ackEvery ?? 50) === 0) socket.send(JSON.stringify({ t: 'ack', topic, seq }));
  }

  /** Resumes every topic right after the last delivered sequence (or live, the first time). */
  private subscribeAll(socket: WebSocket): void {
    for (const [topic, ledger] of this.ledgers) {
      socket.send(JSON.stringify(ledger.last >= 0 ? { t: 'sub', topic, from: ledger.last + 1 } : { t: 'sub', topic }));
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string, redirect: RedirectFrame | undefined): void {
    if (socket === this.candidate) {
      // The target refused: stay where we are and ask the source to carry on.
      this.candidate = undefined;
      this.options.onEvent?.({ kind: 'redirect-refused', at: Date.now(), target: redirect?.target ?? '?', code, reason });
      if (this.active?.readyState === WebSocket.OPEN) this.subscribeAll(this.active);
      return;
    }
    if (socket !== this.active) return;
    this.options.onEvent?.({ kind: 'disconnected', at: Date.now(), gatewayId: this.activeGateway, code, reason });
    this.active = undefined;
    this.activeGateway = undefined;
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const ceiling = Math.min(this.options.maxBackoffMs ?? 2_000, (this.options.initialBackoffMs ?? 50) * 2 ** this.attempt);
    this.attempt += 1;
    this.pickAnotherSeed();
    // Full jitter between half and all of the ceiling spreads a crowd of clients out.
    const delay = ceiling * (0.5 + this.random() / 2);
    this.retryTimer = setTimeout(() => this.connectToSeed(), delay);
  }
}

import { WebSocket, type RawData } from 'ws';
import { CONTROL_CHANNEL_PATH, GatewayChannelFrame, type PingFrame, parseFrame } from '#core';
import { signControlRequest } from '#agent';

export interface ControlChannelHandlers {
  readonly onOpen: () => void;
  readonly onFrame: (frame: GatewayChannelFrame, receivedAtMs: number) => void;
  /** L3: the transport is gone (closed, reset, refused, handshake timed out). Called once per connection. */
  readonly onLost: (cause: string) => void;
  /** The gateway answered over HTTP but has no control channel: not a failure, just no fast path. */
  readonly onUnsupported: (reason: string) => void;
  readonly onBadFrame: (raw: string) => void;
}

/** `http://host:port` → `ws://host:port/control/channel` (https → wss). */
export const controlChannelUrl = (controlUrl: string): string => {
  const url = new URL(controlUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${CONTROL_CHANNEL_PATH}`;
  return url.toString();
};

const describeError = (error: Error & { code?: string }): string => (error.code ? `${error.code}: ${error.message}` : error.message);

/** One WebSocket to one gateway's agent; reconnecting is the caller's decision. */
export class ControlChannel {
  private socket: WebSocket | undefined;
  private settled = false;

  constructor(
    private readonly url: string,
    private readonly handlers: ControlChannelHandlers,
    private readonly clock: () => number,
    private readonly options: {
      readonly connectTimeoutMs: number;
      readonly secret: string;
      /**
       * Fault injection (tests, chaos): behave as if every packet to this gateway were dropped —
       * nothing is dialled, the handshake times out — while the gateway itself keeps serving.
       */
      readonly partitioned?: boolean;
    },
  ) {}

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  open(): void {
    this.settled = false;
    if (this.options.partitioned) {
      const lost = () => this.settle(() => this.handlers.onLost(`handshake timed out: partitioned by fault injection (DETECTOR_PARTITION_FROM)`));
      setTimeout(lost, this.options.connectTimeoutMs).unref();
      return;
    }
    // Signed like any control request (GET, empty body), afresh for each attempt.
    const headers = signControlRequest(this.options.secret, 'GET', new URL(this.url));
    const socket = new WebSocket(this.url, { handshakeTimeout: this.options.connectTimeoutMs, perMessageDeflate: false, headers });
    this.socket = socket;
    socket.on('open', () => this.handlers.onOpen());
    socket.on('message', (data: RawData) => this.receive(data));
    socket.on('unexpected-response', (request, response) => {
      response.resume();
      request.destroy();
      this.settle(() => this.handlers.onUnsupported(`HTTP ${response.statusCode} from ${this.url}`));
    });
    socket.on('error', (error) => this.settle(() => this.handlers.onLost(describeError(error))));
    socket.on('close', (code, reason) => {
      const why = reason.length > 0 ? ` ${reason.toString()}` : '';
      this.settle(() => this.handlers.onLost(`socket closed (${code}${why})`));
    });
  }

  send(frame: PingFrame): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    // A Buffer, not a string: ws then masks it into one frame buffer and writes it with one
    // write(), where a string costs a second buffer and a corked writev — per ping, per gateway.
    this.socket.send(Buffer.from(JSON.stringify(frame)));
    return true;
  }

  /** On purpose (gateway left, detector stopping): no L3 is reported for it. */
  close(): void {
    this.settled = true;
    this.socket?.terminate();
    this.socket = undefined;
  }

  private receive(data: RawData): void {
    const receivedAtMs = this.clock();
    const raw = data.toString();
    const frame = parseFrame(GatewayChannelFrame, raw);
    if (frame) this.handlers.onFrame(frame, receivedAtMs);
    else this.handlers.onBadFrame(raw.slice(0, 200));
  }

  private settle(report: () => void): void {
    if (this.settled) return;
    this.settled = true;
    report();
  }
}

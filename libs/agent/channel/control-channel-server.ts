import { type IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { CONTROL_CHANNEL_PATH, CloseCode, DetectorFrame, type PongFrame, type SelfReportFrame, type SelfReportKind, parseFrame } from '#core';
import { type ControlAuthenticator } from '../auth/control-authenticator.js';
import { type DataPlaneFaults } from '../controlled-gateway.js';

/** Detector frames are tiny pings; anything bigger is refused by the WebSocket layer with 1009. */
const MAX_CHANNEL_FRAME_BYTES = 4 * 1024;

/**
 * The gateway side of the detector ↔ gateway control channel
 * (`/control/channel`, see libs/core/protocol/control-channel.ts): every ping is
 * answered at once with a pong echoing its id and `sentAt`, and self-reports go
 * to every connected detector the moment they happen. A detector that connects
 * while the gateway is write-blocked hears so straight away.
 */
export class ControlChannelServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CHANNEL_FRAME_BYTES });
  private readonly standing = new Map<SelfReportKind, SelfReportFrame>();

  constructor(
    private readonly gatewayId: string,
    private readonly faults: () => DataPlaneFaults,
    private readonly auth: ControlAuthenticator,
  ) {
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  get detectors(): number {
    return this.wss.clients.size;
  }

  /** Only a signed upgrade (the same signature as a control request, empty body) opens the channel. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'ws://agent');
    if (url.pathname !== CONTROL_CHANNEL_PATH) return false;
    const verdict = this.auth.check({ method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, headers: request.headers, body: new Uint8Array(0) });
    if (!verdict.ok) {
      const body = JSON.stringify({ error: `control channel refused: ${verdict.reason}` });
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return true;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
    return true;
  }

  /**
   * Sends a self-report to every detector. `write-blocked` stands (late joiners
   * get it) until `write-unblocked` clears it.
   */
  report(kind: SelfReportKind, detail?: Record<string, unknown>): SelfReportFrame {
    const frame: SelfReportFrame = { t: 'report', gatewayId: this.gatewayId, kind, at: Date.now(), ...(detail ? { detail } : {}) };
    if (kind === 'write-blocked') this.standing.set('write-blocked', frame);
    if (kind === 'write-unblocked') this.standing.delete('write-blocked');
    const raw = JSON.stringify(frame);
    for (const socket of this.wss.clients) socket.send(raw);
    return frame;
  }

  close(): void {
    for (const socket of this.wss.clients) socket.terminate();
    this.wss.close();
  }

  private accept(socket: WebSocket): void {
    for (const frame of this.standing.values()) socket.send(JSON.stringify(frame));
    // A refused frame (1009) comes with a close frame already queued: let it reach the detector.
    socket.on('error', () => {
      if (socket.readyState !== socket.CLOSING) socket.terminate();
    });
    socket.on('message', (raw) => {
      const frame = parseFrame(DetectorFrame, raw.toString());
      if (!frame) {
        socket.close(CloseCode.ProtocolError, 'expected {"t":"ping","id":<n>,"sentAt":<ms>}');
        return;
      }
      const { hang, latencyMs } = this.faults();
      if (hang) return; // a silent hang answers nothing, yet keeps the socket open
      const pong: PongFrame = { t: 'pong', id: frame.id, sentAt: frame.sentAt, gatewayId: this.gatewayId };
      const send = (): void => socket.send(JSON.stringify(pong));
      if (latencyMs > 0) setTimeout(send, latencyMs);
      else send();
    });
  }
}

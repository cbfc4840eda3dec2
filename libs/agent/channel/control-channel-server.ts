import { type IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { CONTROL_CHANNEL_PATH, CloseCode, DetectorFrame, type PongFrame, type SelfReportFrame, type SelfReportKind, parseFrame } from '#core';
import { type DataPlaneFaults } from '../controlled-gateway.js';

/**
 * The gateway side of the detector ↔ gateway control channel
 * (`/control/channel`, see libs/core/protocol/control-channel.ts): every ping is
 * answered at once with a pong echoing its id and `sentAt`, and self-reports go
 * to every connected detector the moment they happen. A detector that connects
 * while the gateway is write-blocked hears so straight away.
 */
export class ControlChannelServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly standing = new Map<SelfReportKind, SelfReportFrame>();

  constructor(
    private readonly gatewayId: string,
    private readonly faults: () => DataPlaneFaults,
  ) {
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  get detectors(): number {
    return this.wss.clients.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(request.url ?? '/', 'ws://agent').pathname !== CONTROL_CHANNEL_PATH) return false;
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
    socket.on('error', () => socket.terminate());
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

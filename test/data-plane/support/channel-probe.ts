import { WebSocket } from 'ws';
import { CONTROL_CHANNEL_PATH, GatewayChannelFrame, type PongFrame, type SelfReportFrame, type SelfReportKind, parseFrame } from '#core';
import { signControlRequest } from '#agent';
import { waitUntil } from '#devstack';

/** Plays the detector's side of the control channel: sends pings, collects pongs and self-reports. */
export class ChannelProbe {
  readonly pongs: (PongFrame & { receivedAt: number })[] = [];
  readonly reports: SelfReportFrame[] = [];
  private readonly socket: WebSocket;
  private nextId = 0;

  private constructor(controlUrl: string, secret: string) {
    const url = new URL(`${controlUrl.replace(/^http/, 'ws')}${CONTROL_CHANNEL_PATH}`);
    this.socket = new WebSocket(url, { headers: signControlRequest(secret, 'GET', url) });
    this.socket.on('error', () => undefined);
    this.socket.on('message', (raw) => {
      const frame = parseFrame(GatewayChannelFrame, raw.toString());
      if (frame?.t === 'pong') this.pongs.push({ ...frame, receivedAt: Date.now() });
      else if (frame) this.reports.push(frame);
    });
  }

  /** Opens a channel signed with `secret` (the fleet's CONTROL_SECRET). */
  static async open(controlUrl: string, secret: string): Promise<ChannelProbe> {
    const probe = new ChannelProbe(controlUrl, secret);
    await new Promise((resolve, reject) => probe.socket.once('open', resolve).once('error', reject));
    return probe;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a ping; returns its id. */
  ping(): number {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ t: 'ping', id, sentAt: Date.now() }));
    return id;
  }

  pong(id: number): Promise<PongFrame & { receivedAt: number }> {
    return waitUntil(`pong ${id}`, async () => this.pongs.find((p) => p.id === id), { intervalMs: 10 });
  }

  report(kind: SelfReportKind, timeoutMs = 30_000): Promise<SelfReportFrame> {
    return waitUntil(`a ${kind} report`, async () => this.reports.find((r) => r.kind === kind), { timeoutMs, intervalMs: 20 });
  }

  close(): void {
    this.socket.terminate();
  }
}

import { WebSocket } from 'ws';
import { type ClientFrame, type RedirectFrame, type ServerFrame, type WelcomeFrame } from '#core';
import { waitUntil } from '#devstack';

/**
 * A client speaking the data-plane protocol by hand (docs/protocol.md), so a test
 * can do what the SDK never would: hold a token too long, present it twice,
 * or tamper with it.
 */
export class RawSession {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;

  constructor(address: string, sessionId: string, token?: string, resume?: string, attempt?: string) {
    const url = new URL(address);
    url.searchParams.set('session', sessionId);
    if (token !== undefined) url.searchParams.set('token', token);
    if (resume !== undefined) url.searchParams.set('resume', resume);
    if (attempt !== undefined) url.searchParams.set('attempt', attempt);
    this.socket = new WebSocket(url);
    this.socket.on('message', (raw) => this.frames.push(JSON.parse(raw.toString()) as ServerFrame));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: ClientFrame): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Bytes as a binary frame, which the protocol does not have. */
  sendRaw(bytes: Buffer): void {
    this.socket.send(bytes, { binary: true });
  }

  close(code: number): void {
    this.socket.close(code, 'test');
  }

  welcomed(): Promise<boolean> {
    return waitUntil('a welcome', async () => this.frames.some((f) => f.t === 'welcome'));
  }

  /** The resume secret the gateway issued in its welcome. */
  async resumeSecret(): Promise<string> {
    return waitUntil('a welcome with a resume secret', async () => this.frames.find((f): f is WelcomeFrame => f.t === 'welcome')?.resume);
  }

  redirect(): Promise<RedirectFrame> {
    return waitUntil('a redirect', async () => this.frames.find((f): f is RedirectFrame => f.t === 'redirect'));
  }

  /** Highest message sequence received so far (-1 for none). */
  get lastSeq(): number {
    return Math.max(-1, ...this.frames.flatMap((f) => (f.t === 'msg' ? [f.seq] : [])));
  }

  /** Waits for messages beyond the current last one: delivery is (still) running. */
  async receivesMore(): Promise<void> {
    const last = this.lastSeq;
    await waitUntil('more messages', async () => this.lastSeq > last);
  }
}

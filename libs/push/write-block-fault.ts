import { type Socket } from 'node:net';
import { type WebSocket } from 'ws';

/** `ws` keeps its TCP socket private; corking it is the point of this fault. */
const tcpSocketOf = (ws: WebSocket): Socket | undefined => (ws as unknown as { _socket?: Socket })._socket;

/**
 * The write-block fault: client sockets stop draining, exactly as when the
 * kernel's send buffers are full. Corking keeps every byte written (nothing is
 * lost), so `bufferedAmount` grows until delivery pauses at the high-water mark;
 * releasing uncorks and everything flows out in order.
 */
export class WriteBlockFault {
  private corked = new Set<Socket>();
  private engaged = false;

  engage(sockets: Iterable<{ readonly ws: WebSocket }>): void {
    this.engaged = true;
    for (const { ws } of sockets) this.apply(ws);
  }

  /** Corks a socket accepted while the fault is on. */
  apply(ws: WebSocket): void {
    const socket = tcpSocketOf(ws);
    if (!this.engaged || !socket || this.corked.has(socket)) return;
    socket.cork();
    this.corked.add(socket);
    socket.once('close', () => this.corked.delete(socket));
  }

  release(): void {
    this.engaged = false;
    const corked = this.corked;
    this.corked = new Set();
    for (const socket of corked) socket.uncork();
  }
}

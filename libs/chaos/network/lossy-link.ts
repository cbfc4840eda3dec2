import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { GOOD_LINK, LINUX_MIN_RTO, type LinkConditions, type RetransmitTimeout } from '#core';
import { LinkDirection } from './link-direction.js';

export interface LossyLinkOptions {
  /** The server every accepted connection is forwarded to. */
  readonly target: { readonly host: string; readonly port: number };
  readonly conditions?: LinkConditions;
  readonly rto?: RetransmitTimeout;
  /** Source of jitter and loss; the chaos run passes its seeded one. */
  readonly random?: () => number;
}

/**
 * A bad network between clients and a server, emulated in user space: a TCP proxy on a free
 * loopback port that forwards each connection to `target`, delaying every chunk in both
 * directions by delay ± jitter and "losing" some the way TCP experiences loss, as a stall
 * of a retransmission timeout for that chunk and everything behind it. Bytes are never
 * dropped, reordered or corrupted (TCP would not let them be); a FIN or a reset on one
 * side reaches the other. Conditions change live (`set`).
 *
 * This machine's kernel has no netem qdisc (docs/chaos.md); this is the honest stand-in,
 * per connection and per chunk, not per packet.
 */
export class LossyLink {
  private conditions: LinkConditions;
  private readonly pairs = new Set<{ readonly client: Socket; readonly server: Socket; readonly directions: readonly LinkDirection[] }>();
  /** Chunks carried since the link opened, both directions. */
  chunks = 0;
  /** Of those, chunks held back for a retransmission timeout. */
  losses = 0;
  /** Connections accepted since the link opened. */
  accepted = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: LossyLinkOptions,
  ) {
    this.conditions = options.conditions ?? GOOD_LINK;
    server.on('connection', (client) => this.forward(client));
  }

  static async open(options: LossyLinkOptions): Promise<LossyLink> {
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new LossyLink(server, options);
  }

  /** The loopback port clients connect to instead of the target's. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections open through the link now. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Applies to every chunk read from now on, on every connection (what is in flight keeps its time). */
  set(conditions: LinkConditions): void {
    this.conditions = conditions;
  }

  /** Stops accepting, and resets every connection through the link. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const pair of this.pairs) this.drop(pair);
    await closed;
  }

  private forward(client: Socket): void {
    this.accepted += 1;
    const server = connect({ ...this.options.target, allowHalfOpen: true, noDelay: true });
    const settings = {
      conditions: () => this.conditions,
      rto: this.options.rto ?? LINUX_MIN_RTO,
      random: this.options.random ?? Math.random,
      onChunk: (lost: boolean) => {
        this.chunks += 1;
        if (lost) this.losses += 1;
      },
    };
    const pair = { client, server, directions: [new LinkDirection(client, server, settings), new LinkDirection(server, client, settings)] };
    this.pairs.add(pair);
    // A reset (or a refused connect) on one side resets the other; clean FINs travel in order with the bytes.
    for (const socket of [client, server]) {
      socket.on('error', () => this.drop(pair));
      socket.on('close', () => {
        if (client.destroyed && server.destroyed) this.drop(pair);
      });
    }
  }

  private drop(pair: { readonly client: Socket; readonly server: Socket; readonly directions: readonly LinkDirection[] }): void {
    for (const direction of pair.directions) direction.stop();
    for (const socket of [pair.client, pair.server]) if (!socket.destroyed) socket.resetAndDestroy();
    this.pairs.delete(pair);
  }
}

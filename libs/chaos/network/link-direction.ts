import { type Socket } from 'node:net';
import { type LinkConditions, type RetransmitTimeout, deliveryTime } from '#core';

/** A chunk on its way, or the sender's FIN (`undefined`), which follows the bytes ahead of it. */
interface InFlight {
  readonly chunk: Buffer | undefined;
  readonly dueAt: number;
}

/** Bytes held in flight per direction before the sender is paused: a path holds a window, not an unbounded queue. */
const IN_FLIGHT_LIMIT_BYTES = 256 * 1024;

export interface DirectionSettings {
  readonly conditions: () => LinkConditions;
  readonly rto: RetransmitTimeout;
  readonly random: () => number;
  /** Called for each chunk read, `lost` when it is held back for a retransmission timeout. */
  readonly onChunk: (lost: boolean) => void;
}

/**
 * One direction of a proxied TCP connection: every chunk read from `from` is written to `to`
 * when `deliveryTime` says, in the order it was read, and a FIN follows the bytes ahead of
 * it. Backpressure travels back: a full `to` stops the pump, too much in flight pauses `from`.
 */
export class LinkDirection {
  private readonly inFlight: InFlight[] = [];
  private inFlightBytes = 0;
  private lastDueAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  private pausedSender = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly settings: DirectionSettings,
  ) {
    from.on('data', (chunk: Buffer) => this.send(chunk));
    from.on('end', () => this.send(undefined));
    to.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private send(chunk: Buffer | undefined): void {
    const { dueAt, lost } = deliveryTime(performance.now(), this.lastDueAt, this.settings.conditions(), this.settings.rto, this.settings.random);
    if (chunk) this.settings.onChunk(lost);
    this.lastDueAt = dueAt;
    this.inFlight.push({ chunk, dueAt });
    this.inFlightBytes += chunk?.length ?? 0;
    if (this.inFlightBytes > IN_FLIGHT_LIMIT_BYTES && !this.pausedSender) {
      this.pausedSender = true;
      this.from.pause();
    }
    this.pump();
  }

  /** Writes every chunk that is due, then sleeps until the next one is (or until `to` drains). */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (!this.waitingForDrain && !this.to.destroyed) {
      const head = this.inFlight[0];
      if (!head) return;
      const waitMs = head.dueAt - performance.now();
      if (waitMs > 0) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(waitMs));
        return;
      }
      this.inFlight.shift();
      if (!head.chunk) {
        this.to.end();
        continue;
      }
      this.inFlightBytes -= head.chunk.length;
      if (this.pausedSender && this.inFlightBytes <= IN_FLIGHT_LIMIT_BYTES / 2) {
        this.pausedSender = false;
        this.from.resume();
      }
      if (!this.to.write(head.chunk)) this.waitingForDrain = true;
    }
  }
}

import { performance } from 'node:perf_hooks';
import { type DeliveryGate } from './delivery-gate.js';
import { type Session } from './session.js';

const MAX_SAMPLES = 64;
/** Probe pings carry this payload, so their pongs are told apart from keepalive pings' pongs. */
const PROBE = Buffer.from('rtt');

/**
 * Round trips to clients, measured with WebSocket pings (every client answers
 * them in its WebSocket stack, no SDK needed). Each round pings a few sessions in
 * turn, so the cost stays flat however many sessions there are. Timed with the
 * monotonic high-resolution clock and kept as fractional milliseconds: on a fast
 * network round trips are well under a millisecond, and whole milliseconds
 * would turn that into 0/1 noise that looks like jitter.
 */
export class ClientRttProbe {
  readonly samplesMs: number[] = [];
  private cursor: Iterator<Session> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sessions: ReadonlyMap<string, Session>,
    private readonly gate: DeliveryGate,
    { intervalMs, perRound }: { intervalMs: number; perRound: number },
  ) {
    this.timer = setInterval(() => this.round(perRound), intervalMs);
    this.timer.unref();
  }

  /** Wires a session's socket so its pongs become samples. */
  watch(session: Session): void {
    session.ws.on('pong', (data) => {
      const sentAt = session.pingSentAt;
      if (sentAt === undefined || !PROBE.equals(data)) return;
      session.pingSentAt = undefined;
      // Injected latency delays the pong's handling, as a slow gateway would.
      this.gate.later(() => this.record(performance.now() - sentAt));
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private round(perRound: number): void {
    if (this.gate.silenced) return;
    for (let pinged = 0, scanned = 0; pinged < perRound && scanned < this.sessions.size; scanned++) {
      const session = this.nextSession();
      if (!session || session.pingSentAt !== undefined) continue;
      session.pingSentAt = performance.now();
      session.ping(Date.now(), PROBE);
      pinged += 1;
    }
  }

  private nextSession(): Session | undefined {
    let step = this.cursor?.next();
    if (!step || step.done) {
      this.cursor = this.sessions.values();
      step = this.cursor.next();
    }
    return step.done ? undefined : step.value;
  }

  private record(ms: number): void {
    this.samplesMs.push(ms);
    if (this.samplesMs.length > MAX_SAMPLES) this.samplesMs.shift();
  }
}

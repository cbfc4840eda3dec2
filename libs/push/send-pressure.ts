import { type Session } from './session.js';

/**
 * Sessions that stopped at the send-buffer high-water mark. `ws` has no drain
 * event, so they are polled: once a buffer is down to half the mark, delivery
 * resumes where it stopped (the messages waited in the feed's log).
 */
export class SendPressure {
  private readonly blocked = new Set<Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly highWaterBytes: number,
    pollMs = 20,
  ) {
    this.timer = setInterval(() => this.poll(), pollMs);
    this.timer.unref();
  }

  add(session: Session): void {
    this.blocked.add(session);
  }

  forget(session: Session): void {
    this.blocked.delete(session);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private poll(): void {
    for (const session of this.blocked) {
      if (session.bufferedBytes >= this.highWaterBytes / 2) continue;
      this.blocked.delete(session);
      session.blocked = false;
      session.pumpAll();
    }
  }
}

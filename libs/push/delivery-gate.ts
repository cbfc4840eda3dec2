/**
 * Gateway-wide switches on delivery, flipped by fault injection: a `silenced`
 * gateway sends nothing (a silent hang), and `latencyMs` delays every message
 * and pong by that much.
 */
export class DeliveryGate {
  silenced = false;
  latencyMs = 0;

  /** Runs `action` now, or after the injected latency. */
  later(action: () => void): void {
    if (this.latencyMs > 0) setTimeout(action, this.latencyMs);
    else action();
  }
}

/**
 * Open client connections per remote IP address, so one host cannot take a
 * gateway's capacity (or its file descriptors) for itself. `limit` 0 means no limit.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts a connection from `ip` in, or answers false (and counts nothing) when it has its fill. */
  tryAdmit(ip: string): boolean {
    const current = this.open.get(ip) ?? 0;
    if (this.limit > 0 && current >= this.limit) return false;
    this.open.set(ip, current + 1);
    return true;
  }

  release(ip: string): void {
    const current = this.open.get(ip) ?? 0;
    if (current <= 1) this.open.delete(ip);
    else this.open.set(ip, current - 1);
  }

  /** Addresses with at least one open connection (bounded by the gateway's connections). */
  get addresses(): number {
    return this.open.size;
  }
}

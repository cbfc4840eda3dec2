import { type Etcd3 } from 'etcd3';
import { type GatewayRegistration } from '#core';
import { FleetRegistry, type GatewayLease } from '#etcd';
import { RetryBackoff, type RetryBackoffSettings } from './retry-backoff.js';

export type MembershipEvent =
  /** Registered under a fresh lease; `incarnation` 1 is the first registration of this process. */
  | { readonly kind: 'registered'; readonly incarnation: number; readonly attempt: number }
  | { readonly kind: 'lease-lost'; readonly error: Error }
  | { readonly kind: 're-register-failed'; readonly error: Error; readonly attempt: number; readonly retryInMs: number };

export interface RegistrationKeeperOptions {
  readonly registration: GatewayRegistration;
  readonly leaseTtlSeconds: number;
  /** The process's etcd client, used for the first registration. */
  readonly etcd: Etcd3;
  /**
   * A new client per re-registration attempt: etcd3's circuit breaker fails every call fast
   * for 5 s after 3 failures, so the client that saw etcd go away cannot tell it is back.
   */
  readonly connect: () => Etcd3;
  readonly backoff?: Partial<RetryBackoffSettings>;
  /** An attempt against a frozen etcd would hang: it is given up after this long (default 3 000 ms). */
  readonly attemptTimeoutMs?: number;
  readonly onEvent: (event: MembershipEvent) => void;
}

interface Held {
  readonly lease: GatewayLease;
  readonly etcd: Etcd3;
  /** Created by the keeper (closed when replaced), or the process's own client. */
  readonly owned: boolean;
}

class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`etcd did not answer the registration within ${ms} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AttemptTimeoutError(ms)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/**
 * Keeps a gateway's registration in etcd for as long as the process lives. A lost lease
 * (etcd frozen or restarted past the TTL, the process paused past it) is followed by a new
 * registration under a fresh lease and a fresh client, retried with jittered backoff until
 * etcd answers; the registration carries the process's instance id, so the control plane
 * can tell this process returning from a new one.
 */
export class RegistrationKeeper {
  private held: Held | undefined;
  private incarnation = 0;
  private renewedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly backoff: RetryBackoff;

  constructor(private readonly options: RegistrationKeeperOptions) {
    this.backoff = new RetryBackoff(options.backoff);
  }

  /** The lease to publish under; absent while the registration is lost. */
  get lease(): GatewayLease | undefined {
    return this.held?.lease;
  }

  /** The client the current registration was made with: it is known to reach etcd. */
  get etcd(): Etcd3 {
    return this.held?.etcd ?? this.options.etcd;
  }

  get registered(): boolean {
    return this.held !== undefined;
  }

  /** When etcd last confirmed the registration (registered, renewed, or a write under the lease). */
  get lastRenewedAt(): number {
    return this.renewedAt;
  }

  /** The first registration: it must succeed (the process is not part of the fleet otherwise). */
  async start(): Promise<void> {
    await this.registerWith(this.options.etcd, false, 0);
  }

  /** Called after a write under the lease succeeded: that, too, proves it is alive. */
  noteRenewed(lease: GatewayLease): void {
    if (this.held?.lease === lease) this.renewedAt = Date.now();
  }

  /** Graceful exit: marks the registration as leaving and revokes the lease. */
  async leave(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    try {
      await held.lease.leave();
    } finally {
      if (held.owned) held.etcd.close();
    }
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retire(this.held);
    this.held = undefined;
  }

  private async registerWith(etcd: Etcd3, owned: boolean, attempt: number): Promise<void> {
    const { registration, leaseTtlSeconds } = this.options;
    const lease = await withTimeout(new FleetRegistry(etcd).register(registration, leaseTtlSeconds), this.options.attemptTimeoutMs ?? 3_000);
    if (this.stopped) {
      lease.release();
      return;
    }
    const previous = this.held;
    this.held = { lease, etcd, owned };
    this.renewedAt = Date.now();
    this.incarnation += 1;
    this.backoff.reset();
    lease.onLost((error) => this.onLost(lease, error));
    lease.onRenewed(() => this.noteRenewed(lease));
    this.retire(previous);
    this.options.onEvent({ kind: 'registered', incarnation: this.incarnation, attempt });
  }

  private onLost(lease: GatewayLease, error: Error): void {
    if (this.stopped || this.held?.lease !== lease) return;
    this.retire(this.held);
    this.held = undefined;
    this.options.onEvent({ kind: 'lease-lost', error });
    // The first attempt goes at once: a process that was paused finds etcd there.
    this.scheduleAttempt(1, 0);
  }

  private scheduleAttempt(attempt: number, delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.attempt(attempt), delayMs);
    this.retryTimer.unref();
  }

  private async attempt(attempt: number): Promise<void> {
    if (this.stopped) return;
    const etcd = this.options.connect();
    try {
      await this.registerWith(etcd, true, attempt);
    } catch (error) {
      // Closing the client also cancels a put still in flight, so a late one cannot bind the key to a stray lease.
      etcd.close();
      if (this.stopped) return;
      const retryInMs = this.backoff.next();
      this.options.onEvent({ kind: 're-register-failed', error: error instanceof Error ? error : new Error(String(error)), attempt, retryInMs });
      this.scheduleAttempt(attempt + 1, retryInMs);
    }
  }

  private retire(held: Held | undefined): void {
    if (!held) return;
    held.lease.release();
    if (held.owned) held.etcd.close();
  }
}

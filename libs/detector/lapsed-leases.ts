import { type Logger } from '#runtime';

export interface LapseCheck {
  /** Is the gateway itself still alive (its control channel or control endpoint answers)? */
  readonly answers: () => boolean | Promise<boolean>;
  /** It does not: the lapse was its death or a hang. Called at most once. */
  readonly onGone: () => void;
}

export interface LapsedLeasesSettings {
  /** How often a gateway that answers but has not registered again is asked again. */
  readonly recheckMs: number;
  /** After this long answering without registering again, it is logged and no longer followed. */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_LAPSE_SETTINGS: LapsedLeasesSettings = { recheckMs: 1_000, giveUpAfterMs: 60_000 };

interface Lapse {
  readonly check: LapseCheck;
  readonly sinceMs: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Tells "etcd was away" from "the gateway died" when a registration lease runs out. Leases
 * lapse for both: etcd frozen or restarted past the TTL takes every lease of the fleet with
 * it, while the gateways go on serving (and register again within seconds). So a lapse is
 * verified with the gateway itself first: one that does not answer is gone (`onGone` at once);
 * one that answers is followed until it registers again (`registered`), stops answering
 * (`onGone` then), or `giveUpAfterMs` passes (logged: alive but not in the registry).
 */
export class LapsedLeases {
  private readonly lapses = new Map<string, Lapse>();

  constructor(
    private readonly log: Logger,
    private readonly settings: LapsedLeasesSettings = DEFAULT_LAPSE_SETTINGS,
  ) {}

  get following(): string[] {
    return [...this.lapses.keys()].sort();
  }

  /** A lease ran out: verify before anyone acts on it. */
  lapsed(gatewayId: string, check: LapseCheck): void {
    this.drop(gatewayId);
    const lapse: Lapse = { check, sinceMs: Date.now(), timer: undefined };
    this.lapses.set(gatewayId, lapse);
    void this.verify(gatewayId, lapse);
  }

  /** The gateway registered again: the lapse was a blip. Returns whether it was being followed. */
  registered(gatewayId: string): boolean {
    const lapse = this.lapses.get(gatewayId);
    if (!lapse) return false;
    this.log.info({ event: 'lease-lapse-over', gatewayId, awayMs: Date.now() - lapse.sinceMs }, 'gateway registered again after its lease lapsed');
    this.drop(gatewayId);
    return true;
  }

  /** Left on purpose, or no longer of interest: stop following without a verdict. */
  forget(gatewayId: string): void {
    this.drop(gatewayId);
  }

  stop(): void {
    for (const gatewayId of [...this.lapses.keys()]) this.drop(gatewayId);
  }

  private async verify(gatewayId: string, lapse: Lapse): Promise<void> {
    const answers = await Promise.resolve()
      .then(() => lapse.check.answers())
      .catch(() => false);
    if (this.lapses.get(gatewayId) !== lapse) return; // registered again (or dropped) meanwhile
    if (!answers) {
      this.drop(gatewayId);
      lapse.check.onGone();
      return;
    }
    const awayMs = Date.now() - lapse.sinceMs;
    if (lapse.timer === undefined) {
      this.log.info({ event: 'lease-lapsed-gateway-answers', gatewayId }, 'lease lapsed but the gateway answers: waiting for it to register again');
    }
    if (awayMs >= this.settings.giveUpAfterMs) {
      this.log.warn({ event: 'lease-lapse-unresolved', gatewayId, awayMs }, 'gateway answers but has not registered again');
      this.drop(gatewayId);
      return;
    }
    lapse.timer = setTimeout(() => void this.verify(gatewayId, lapse), this.settings.recheckMs);
    lapse.timer.unref();
  }

  private drop(gatewayId: string): void {
    clearTimeout(this.lapses.get(gatewayId)?.timer);
    this.lapses.delete(gatewayId);
  }
}

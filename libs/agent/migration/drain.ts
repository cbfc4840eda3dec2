import { randomUUID } from 'node:crypto';
import { type ControlledGateway, type MigrationTarget } from '../controlled-gateway.js';
import { type BatchBook } from './batch-book.js';
import { type MigrateResult } from './migration-report.js';
import { type Pacing, migrateInBatches } from './paced-migration.js';

export interface DrainStatus {
  readonly drainId: string;
  readonly state: 'running' | 'done' | 'stopped' | 'failed';
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly targets: readonly string[];
  readonly pacing: Pacing;
  readonly batches: number;
  readonly moved: number;
  readonly refused: number;
  readonly gone: number;
  /** Sessions still on this gateway. */
  readonly remaining: number;
  readonly error?: string;
}

/**
 * A drain: the gateway stops taking sessions and moves all of its own away in
 * paced batches. Runs in the background; `status` shows how far it got.
 */
export class Drain {
  readonly drainId = randomUUID();
  readonly startedAt = Date.now();
  private readonly results: MigrateResult[] = [];
  private state: DrainStatus['state'] = 'running';
  private finishedAt: number | undefined;
  private error: string | undefined;

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly book: BatchBook,
    private readonly targets: readonly MigrationTarget[],
    private readonly pacing: Pacing,
  ) {}

  get running(): boolean {
    return this.state === 'running';
  }

  start(): void {
    this.gateway.setAccepting(false);
    void migrateInBatches(
      async (call) => {
        const result = await this.book.migrate({ ...call, targets: this.targets });
        this.results.push(result);
        return result;
      },
      this.pacing,
      { idPrefix: `drain-${this.drainId}`, stopped: () => this.state !== 'running' },
    ).then(
      () => this.finish(this.state === 'running' ? 'done' : this.state),
      (error: unknown) => {
        this.error = error instanceof Error ? error.message : String(error);
        this.finish('failed');
      },
    );
  }

  /** Stops after the batch in flight (restore calls this). */
  stop(): void {
    if (this.running) this.finish('stopped');
  }

  status(): DrainStatus {
    const sum = (pick: (r: MigrateResult) => number): number => this.results.reduce((n, r) => n + pick(r), 0);
    return {
      drainId: this.drainId,
      state: this.state,
      startedAt: this.startedAt,
      ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
      targets: this.targets.map((t) => t.gatewayId),
      pacing: this.pacing,
      batches: this.results.length,
      moved: sum((r) => r.moved),
      refused: sum((r) => r.refused),
      gone: sum((r) => r.gone),
      remaining: this.gateway.sessionCount,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  private finish(state: DrainStatus['state']): void {
    if (this.finishedAt !== undefined) return;
    this.state = state;
    this.finishedAt = Date.now();
  }
}

/** The gateway's drain, if one was asked for: at most one runs at a time. */
export class DrainDesk {
  private current: Drain | undefined;

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly book: BatchBook,
  ) {}

  get status(): DrainStatus | undefined {
    return this.current?.status();
  }

  /** Starts a drain unless one is running; either way answers the running one (idempotent). */
  start(targets: readonly MigrationTarget[], pacing: Pacing): { started: boolean; status: DrainStatus } {
    if (this.current?.running) return { started: false, status: this.current.status() };
    this.current = new Drain(this.gateway, this.book, targets, pacing);
    this.current.start();
    return { started: true, status: this.current.status() };
  }

  stop(): void {
    this.current?.stop();
  }
}

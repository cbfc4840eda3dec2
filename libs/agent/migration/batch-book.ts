import { randomUUID } from 'node:crypto';
import { type Logger } from '#runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ControlledGateway, type MigrationTarget } from '../controlled-gateway.js';
import { MigrationBatch } from './migration-batch.js';
import { type MigrateResult } from './migration-report.js';

export interface BatchRequest {
  readonly batchId?: string;
  readonly targets: readonly MigrationTarget[];
  readonly sessions?: readonly string[];
  readonly limit?: number;
  readonly spreadMs?: number;
  readonly waitMs?: number;
}

/** Batches remembered for idempotent retries; old ones are forgotten past this many. */
const REMEMBERED_BATCHES = 512;

/**
 * The migration batches of this gateway, by id. Temporal retries activities, so
 * a batch id seen before returns that batch (waiting for it again, if asked)
 * instead of redirecting anyone twice; a session is in at most one unsettled
 * batch at a time.
 */
export class BatchBook {
  private readonly batches = new Map<string, MigrationBatch>();

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly log?: Logger,
    private readonly options: { readonly retryDelayMs: number; readonly random: () => number } = { retryDelayMs: 50, random: Math.random },
  ) {}

  get(batchId: string): MigrationBatch | undefined {
    return this.batches.get(batchId);
  }

  async migrate(request: BatchRequest): Promise<MigrateResult> {
    const batchId = request.batchId ?? randomUUID();
    let batch = this.batches.get(batchId);
    if (!batch) {
      batch = this.start(batchId, request);
      this.remember(batchId, batch);
    }
    const waitMs = request.waitMs ?? 0;
    if (waitMs > 0) {
      const timeout = new AbortController();
      await Promise.race([batch.settled, sleep(waitMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
      timeout.abort();
    }
    return batch.report(this.gateway.sessionCount);
  }

  private start(batchId: string, request: BatchRequest): MigrationBatch {
    const busy = this.moving();
    const candidates = request.sessions ?? this.gateway.sessionIds().filter((id) => !busy.has(id));
    const batch = new MigrationBatch(this.gateway, {
      batchId,
      targets: request.targets,
      sessionIds: candidates.slice(0, request.limit),
      busy,
      spreadMs: request.spreadMs ?? 0,
      retryDelayMs: this.options.retryDelayMs,
      random: this.options.random,
    });
    batch.start();
    this.log?.info({ event: 'migration-batch-started', batchId, sessions: candidates.slice(0, request.limit).length, targets: request.targets.map((t) => t.gatewayId) }, 'migration batch started');
    void batch.settled.then(() => {
      const { moved, refused, gone, absent, busy, movedTo, interruptionMs } = batch.report(this.gateway.sessionCount);
      this.log?.info({ event: 'migration-batch-settled', batchId, moved, refused, gone, absent, busy, movedTo, interruptionMs }, 'migration batch settled');
    });
    return batch;
  }

  private moving(): Set<string> {
    const moving = new Set<string>();
    for (const batch of this.batches.values()) for (const id of batch.moving) moving.add(id);
    return moving;
  }

  private remember(batchId: string, batch: MigrationBatch): void {
    this.batches.set(batchId, batch);
    for (const oldest of this.batches.keys()) {
      if (this.batches.size <= REMEMBERED_BATCHES) break;
      this.batches.delete(oldest);
    }
  }
}

import { summarise } from '#core';
import { type ControlledGateway, type MigrationTarget } from '../controlled-gateway.js';
import { type MigrateResult, type SessionMove, type SessionMoveOutcome } from './migration-report.js';
import { TargetPicker } from './target-picker.js';

export interface BatchSpec {
  readonly batchId: string;
  readonly targets: readonly MigrationTarget[];
  readonly sessionIds: readonly string[];
  /** Sessions already being moved by another batch. */
  readonly busy: ReadonlySet<string>;
  /** Redirects go out at random moments over this window, so a target sees arrivals spread, not a spike. */
  readonly spreadMs: number;
  /** Pause before re-sending a refused session to the next target. */
  readonly retryDelayMs: number;
  readonly random: () => number;
}

interface Move {
  readonly sessionId: string;
  outcome: SessionMoveOutcome;
  target?: string;
  readonly refusedBy: string[];
  interruptionMs?: number;
}

/**
 * One batch of a migration, run by the source gateway: a signed redirect per
 * session, spread over `spreadMs`; a session the target refuses is re-sent to
 * another target; every session ends with an outcome and, when it moved, the
 * interruption it saw (redirect sent → its connection here closed).
 */
export class MigrationBatch {
  readonly startedAt = Date.now();
  readonly settled: Promise<void>;
  private settledAt: number | undefined;
  private readonly moves = new Map<string, Move>();
  private readonly picker: TargetPicker;
  private unsettled = 0;
  private resolveSettled: () => void = () => undefined;

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly spec: BatchSpec,
  ) {
    this.picker = new TargetPicker(spec.targets);
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /** Sessions this batch is still moving. */
  get moving(): string[] {
    return [...this.moves.values()].filter((m) => m.outcome === 'pending').map((m) => m.sessionId);
  }

  start(): void {
    for (const sessionId of new Set(this.spec.sessionIds)) {
      const outcome = this.spec.busy.has(sessionId) ? 'busy' : this.gateway.hasSession(sessionId) ? 'pending' : 'absent';
      this.moves.set(sessionId, { sessionId, outcome, refusedBy: [] });
    }
    const pending = [...this.moves.values()].filter((m) => m.outcome === 'pending');
    this.unsettled = pending.length;
    if (this.unsettled === 0) this.finish();
    for (const move of pending) {
      const delay = Math.floor(this.spec.random() * this.spec.spreadMs);
      // Without a spread every redirect starts now, so even an immediate answer counts them as redirected.
      if (delay === 0) void this.attempt(move);
      else setTimeout(() => void this.attempt(move), delay);
    }
  }

  report(remaining: number): MigrateResult {
    const moves = [...this.moves.values()];
    const count = (outcome: SessionMoveOutcome): number => moves.filter((m) => m.outcome === outcome).length;
    const movedTo: Record<string, number> = {};
    for (const m of moves) if (m.outcome === 'moved' && m.target) movedTo[m.target] = (movedTo[m.target] ?? 0) + 1;
    const interruptions = moves.flatMap((m) => (m.interruptionMs === undefined ? [] : [m.interruptionMs]));
    return {
      batchId: this.spec.batchId,
      settled: this.settledAt !== undefined,
      startedAt: this.startedAt,
      ...(this.settledAt !== undefined ? { settledAt: this.settledAt } : {}),
      redirected: moves.filter((m) => m.target !== undefined).length,
      moved: count('moved'),
      refused: count('refused'),
      pending: count('pending'),
      gone: count('gone'),
      absent: count('absent'),
      busy: count('busy'),
      remaining,
      movedTo,
      interruptionMs: interruptions.length > 0 ? summarise(interruptions) : null,
      sessions: moves.map(({ sessionId, outcome, target, refusedBy, interruptionMs }): SessionMove => ({
        sessionId,
        outcome,
        ...(target !== undefined ? { target } : {}),
        refusedBy: [...refusedBy],
        ...(interruptionMs !== undefined ? { interruptionMs } : {}),
      })),
    };
  }

  private async attempt(move: Move): Promise<void> {
    const target = this.picker.pick(move.refusedBy);
    if (!target) return this.conclude(move, 'refused');
    move.target = target.gatewayId;
    let settlement;
    try {
      settlement = await this.gateway.redirectSession(move.sessionId, target);
    } catch {
      // Signing failed or the socket broke mid-send: the session stays here, as if refused everywhere.
      return this.conclude(move, 'refused');
    }
    if (settlement.outcome !== 'refused') {
      if (settlement.outcome === 'moved') move.interruptionMs = settlement.settledAt - settlement.sentAt;
      return this.conclude(move, settlement.outcome);
    }
    move.refusedBy.push(target.gatewayId);
    this.picker.refused(target.gatewayId);
    setTimeout(() => void this.attempt(move), this.spec.retryDelayMs);
  }

  private conclude(move: Move, outcome: SessionMoveOutcome): void {
    move.outcome = outcome;
    this.unsettled -= 1;
    if (this.unsettled === 0) this.finish();
  }

  private finish(): void {
    this.settledAt = Date.now();
    this.resolveSettled();
  }
}

import { type Summary } from '#core';

/**
 * Where one session of a batch ended up:
 * - `moved`: the client is on `target` (it left here only after the target welcomed it);
 * - `refused`: every target refused it (`refusedBy`); it is still served here;
 * - `pending`: its redirect was still out when the call stopped waiting; it may still move;
 * - `gone`: its connection ended without moving (it reconnects to some gateway on its own);
 * - `absent`: it was not a session here (already moved, or unknown);
 * - `busy`: another batch that has not settled is moving it.
 */
export type SessionMoveOutcome = 'moved' | 'refused' | 'pending' | 'gone' | 'absent' | 'busy';

export interface SessionMove {
  readonly sessionId: string;
  readonly outcome: SessionMoveOutcome;
  /** The target of the last redirect sent (the one it moved to, when moved). */
  readonly target?: string;
  /** Targets that refused it, in order; it was re-sent to another target after each. */
  readonly refusedBy: readonly string[];
  /** Source side: last redirect sent → the client's connection here closed. */
  readonly interruptionMs?: number;
}

export interface MigrateResult {
  readonly batchId: string;
  /** Every session has reached a final outcome (none `pending`). */
  readonly settled: boolean;
  readonly startedAt: number;
  readonly settledAt?: number;
  /** Sessions sent (or being sent) at least one redirect. */
  readonly redirected: number;
  readonly moved: number;
  readonly refused: number;
  readonly pending: number;
  readonly gone: number;
  readonly absent: number;
  readonly busy: number;
  /** Sessions on this gateway when the answer was written. */
  readonly remaining: number;
  /** Moved sessions per target gateway. */
  readonly movedTo: Readonly<Record<string, number>>;
  /** Source-side interruption of the moved sessions; null when none moved. */
  readonly interruptionMs: Summary | null;
  readonly sessions: readonly SessionMove[];
}

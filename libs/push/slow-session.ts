/** Everything waiting on the way to one client, as the gateway sees it. */
export interface SendLoad {
  /** Written by the application, not yet taken by the kernel (`bufferedAmount`). */
  readonly bufferedBytes: number;
  /** In the kernel's send queue (`tx_queue`); undefined where the OS does not say. */
  readonly kernelQueueBytes: number | undefined;
  /** Sent, and not yet acknowledged by the client (`ack` frames). */
  readonly unackedBytes: number;
  /** When the oldest unacknowledged message was sent, if one is. */
  readonly oldestUnackedAt: number | undefined;
  /** When an ack last moved the client's position forward. */
  readonly lastAckAdvanceAt: number | undefined;
  /** A redirect is out: the gateway stopped sending on purpose, the client is moving. */
  readonly redirecting: boolean;
}

export interface SlowSessionLimits {
  /** User-space send buffer at which delivery pauses (SEND_HIGH_WATER_BYTES). */
  readonly highWaterBytes: number;
  /** Kernel send queue above which the client is not taking what it is sent (KERNEL_SEND_QUEUE_HIGH_WATER_BYTES). */
  readonly kernelHighWaterBytes: number;
  /** An unacknowledged message older than this means the client is not reading (ACK_DEADLINE_MS; clients ack every 2 s). */
  readonly ackDeadlineMs: number;
  /** How long a slow but progressing session counts as retrying before it is called stuck (RETRY_BUDGET_MS). */
  readonly retryBudgetMs: number;
}

/**
 * - `ok`: the client keeps up;
 * - `retrying`: it is behind (buffer, kernel queue or acks past their mark) but still
 *   moving: an ack advanced within the ack deadline, and it has been behind for less
 *   than the retry budget. The gateway's flow control (pause at the mark, resume as it
 *   drains) is getting through; waiting may be enough;
 * - `stuck`: behind, and either no ack advanced within the deadline or the budget ran out.
 */
export type SlowVerdict = 'ok' | 'retrying' | 'stuck';

export interface SlowJudgement {
  readonly verdict: SlowVerdict;
  /** The ack criterion is what made it slow (the others are the buffers). */
  readonly lateAcks: boolean;
}

export const judgeSendLoad = (load: SendLoad, slowSince: number | undefined, now: number, limits: SlowSessionLimits): SlowJudgement => {
  if (load.redirecting) return { verdict: 'ok', lateAcks: false };
  const lateAcks = load.oldestUnackedAt !== undefined && now - load.oldestUnackedAt >= limits.ackDeadlineMs;
  const behind = lateAcks || load.bufferedBytes >= limits.highWaterBytes || (load.kernelQueueBytes ?? 0) >= limits.kernelHighWaterBytes;
  if (!behind) return { verdict: 'ok', lateAcks: false };
  const progressing = load.lastAckAdvanceAt !== undefined && now - load.lastAckAdvanceAt < limits.ackDeadlineMs;
  const withinBudget = slowSince === undefined || now - slowSince < limits.retryBudgetMs;
  return { verdict: progressing && withinBudget ? 'retrying' : 'stuck', lateAcks };
};

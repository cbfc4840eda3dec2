import { describe, expect, it } from '@jest/globals';
import { type SendLoad, judgeSendLoad } from './slow-session.js';

const limits = { highWaterBytes: 1_000, kernelHighWaterBytes: 10_000, ackDeadlineMs: 4_000, retryBudgetMs: 15_000 };
const NOW = 100_000;
const keepingUp: SendLoad = {
  bufferedBytes: 0,
  kernelQueueBytes: 0,
  unackedBytes: 200,
  oldestUnackedAt: NOW - 1_000,
  lastAckAdvanceAt: NOW - 1_000,
  redirecting: false,
};

describe(judgeSendLoad.name, () => {
  it('should call a client that acks in time ok', () => {
    expect(judgeSendLoad(keepingUp, undefined, NOW, limits)).toEqual({ verdict: 'ok', lateAcks: false });
  });

  it('should call a client that stopped acking stuck, from acks alone, whatever its buffers', () => {
    const stopped = { ...keepingUp, oldestUnackedAt: NOW - 5_000, lastAckAdvanceAt: NOW - 6_000 };
    expect(judgeSendLoad(stopped, undefined, NOW, limits)).toEqual({ verdict: 'stuck', lateAcks: true });
  });

  it('should call a client that never acked stuck once its first message is past the deadline', () => {
    const silent = { ...keepingUp, lastAckAdvanceAt: undefined, oldestUnackedAt: NOW - 3_000 };
    expect(judgeSendLoad(silent, undefined, NOW, limits).verdict).toBe('ok');
    expect(judgeSendLoad({ ...silent, oldestUnackedAt: NOW - 4_000 }, undefined, NOW, limits).verdict).toBe('stuck');
  });

  it('should call a client behind on its buffers alone stuck, whatever its acks', () => {
    expect(judgeSendLoad({ ...keepingUp, lastAckAdvanceAt: NOW - 9_000, kernelQueueBytes: 10_000 }, undefined, NOW, limits).verdict).toBe('stuck');
    expect(judgeSendLoad({ ...keepingUp, lastAckAdvanceAt: NOW - 9_000, bufferedBytes: 1_000 }, undefined, NOW, limits).verdict).toBe('stuck');
  });

  it('should call a late but progressing client retrying, until the retry budget runs out', () => {
    const slow = { ...keepingUp, oldestUnackedAt: NOW - 5_000, lastAckAdvanceAt: NOW - 500 };
    expect(judgeSendLoad(slow, NOW - 14_000, NOW, limits)).toEqual({ verdict: 'retrying', lateAcks: true });
    expect(judgeSendLoad(slow, NOW - 15_000, NOW, limits).verdict).toBe('stuck');
  });

  it('should leave a session that is being redirected alone', () => {
    expect(judgeSendLoad({ ...keepingUp, redirecting: true, bufferedBytes: 5_000 }, undefined, NOW, limits).verdict).toBe('ok');
  });
});

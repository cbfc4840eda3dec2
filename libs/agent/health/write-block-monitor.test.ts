import { describe, expect, it } from '@jest/globals';
import { type DataPlaneSnapshot } from '../controlled-gateway.js';
import { WriteBlockMonitor } from './write-block-monitor.js';

const snapshot = (connections: number, blockedSessions: number, retryingSessions = 0): DataPlaneSnapshot => ({
  connections,
  capacity: 100,
  accepting: true,
  maxSendBufferBytes: blockedSessions > 0 ? 2_000 : 0,
  blockedSessions,
  retryingSessions,
  lateAckSessions: blockedSessions,
  maxUnackedBytes: blockedSessions > 0 ? 5_000 : 0,
  maxUnackedAgeMs: blockedSessions > 0 ? 6_000 : 0,
  sendBufferHighWater: 1_000,
  kernelSendQueueHighWater: 512 * 1024,
  ackDeadlineMs: 4_000,
  rttSamplesMs: [],
  connectionsEnded: 0,
  handshakeFailures: 0,
  errors: 0,
});

describe(WriteBlockMonitor.name, () => {
  it('should report write-blocked only after the condition held for the threshold, then unblocked once', () => {
    const monitor = new WriteBlockMonitor({ thresholdMs: 200, minBlockedFraction: 0.1 });
    expect(monitor.sample(snapshot(100, 50), 0)).toBeUndefined();
    expect(monitor.sample(snapshot(100, 50), 150)).toBeUndefined();
    expect(monitor.sample(snapshot(100, 50), 200)).toMatchObject({ kind: 'write-blocked', detail: { blockedSessions: 50, aboveForMs: 200 } });
    expect(monitor.sample(snapshot(100, 50), 300)).toBeUndefined();
    expect(monitor.sample(snapshot(100, 0), 400)).toMatchObject({ kind: 'write-unblocked' });
    expect(monitor.sample(snapshot(100, 0), 500)).toBeUndefined();
  });

  it('should say retry pending while every blocked session still progresses, and report again when that runs out', () => {
    const monitor = new WriteBlockMonitor({ thresholdMs: 0, minBlockedFraction: 0.1 });
    expect(monitor.sample(snapshot(10, 5, 5), 0)).toMatchObject({ kind: 'write-blocked', detail: { retryPending: true, retryingSessions: 5 } });
    expect(monitor.sample(snapshot(10, 5, 5), 100)).toBeUndefined();
    expect(monitor.sample(snapshot(10, 5, 4), 200)).toMatchObject({ kind: 'write-blocked', detail: { retryPending: false } });
    expect(monitor.retryPending).toBe(false);
    expect(monitor.sample(snapshot(10, 0), 300)).toMatchObject({ kind: 'write-unblocked', detail: { retryPending: false } });
  });

  it('should not call one slow client a blocked gateway', () => {
    const monitor = new WriteBlockMonitor({ thresholdMs: 0, minBlockedFraction: 0.1 });
    expect(monitor.sample(snapshot(100, 1), 0)).toBeUndefined();
    expect(monitor.sample(snapshot(100, 1), 1_000)).toBeUndefined();
    expect(monitor.blocked).toBe(false);
  });

  it('should measure the share of time spent above the mark', () => {
    const monitor = new WriteBlockMonitor({ thresholdMs: 10_000, minBlockedFraction: 0 });
    monitor.sample(snapshot(10, 0), 0);
    monitor.sample(snapshot(10, 5), 500);
    monitor.sample(snapshot(10, 5), 750);
    monitor.sample(snapshot(10, 0), 1_000);
    expect(monitor.takeRatio(1_000)).toBeCloseTo(0.5);
    expect(monitor.takeRatio(2_000)).toBe(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AckLag } from './ack-lag.js';

describe(AckLag.name, () => {
  it('should count what was sent and not acked, and the age of the oldest such message', () => {
    const lag = new AckLag();
    lag.sent(0, 50, 1_000);
    lag.sent(1, 50, 1_200);
    lag.sent(2, 50, 1_400);
    expect(lag.unackedBytes).toBe(150);
    expect(lag.oldestUnackedAt).toBe(1_000);
    lag.acked(1);
    expect(lag.unackedBytes).toBe(50);
    expect(lag.oldestUnackedAt).toBe(1_400);
    lag.acked(2);
    expect(lag.unackedBytes).toBe(0);
    expect(lag.oldestUnackedAt).toBeUndefined();
  });

  it('should keep a checkpoint until an ack covers all of it (erring towards unacked)', () => {
    const lag = new AckLag();
    lag.sent(0, 10, 1_000);
    lag.sent(1, 10, 1_050); // same 100 ms bucket
    lag.acked(0);
    expect(lag.unackedBytes).toBe(20);
    expect(lag.oldestUnackedAt).toBe(1_000);
  });

  it('should stay bounded and keep the oldest send time for a client that never acks', () => {
    const lag = new AckLag();
    for (let seq = 0; seq < 10_000; seq++) lag.sent(seq, 1, 1_000 + seq * 200);
    expect(lag.unackedBytes).toBe(10_000);
    expect(lag.oldestUnackedAt).toBe(1_000);
    lag.acked(9_999);
    expect(lag.unackedBytes).toBe(0);
  });

  it('should never report more acked than sent, nor an unacked age younger than the oldest unacked send', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 300 }), fc.boolean()), { maxLength: 300 }), (steps) => {
        const lag = new AckLag();
        const sends: { seq: number; at: number; bytes: number }[] = [];
        let now = 0;
        let acked = -1;
        steps.forEach(([bytes, dt, ack], seq) => {
          now += dt;
          lag.sent(seq, bytes, now);
          sends.push({ seq, at: now, bytes });
          if (ack) {
            acked = Math.floor((acked + seq + 1) / 2);
            lag.acked(acked);
          }
        });
        const truly = sends.filter((s) => s.seq > acked);
        const trulyBytes = truly.reduce((n, s) => n + s.bytes, 0);
        expect(lag.unackedBytes).toBeGreaterThanOrEqual(trulyBytes);
        if (truly.length > 0) expect(lag.oldestUnackedAt).toBeLessThanOrEqual(truly[0]!.at);
      }),
    );
  });
});

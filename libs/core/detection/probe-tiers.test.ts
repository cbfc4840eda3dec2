import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DetectorSettings } from '../policy/detector-policy.js';

type Settings = Pick<DetectorSettings, 'pingIntervalMs' | 'pongTimeoutMs' | 'missesToSuspect'>;
import {
  INITIAL_PROBE_STATE,
  expireOverduePings,
  recordPingSent,
  recordPong,
  recordTransportLost,
  recordTransportUp,
  type ProbeEvent,
  type ProbeState,
} from './probe-tiers.js';
import { OwnStalls } from './own-stalls.js';

const SETTINGS: Settings = { pingIntervalMs: 100, pongTimeoutMs: 250, missesToSuspect: 3 };

interface Timeline {
  readonly state: ProbeState;
  readonly events: { readonly atMs: number; readonly event: ProbeEvent }[];
}

/**
 * Drives the state machine the way the detector does: a ping every interval (after the
 * overdue ones are expired), and each pong at its send time plus its RTT (null: never).
 */
const simulate = (rtts: readonly (number | null)[], settings: Settings, endMs: number): Timeline => {
  type Happening = { atMs: number; order: number; apply: (s: ProbeState) => { state: ProbeState; events: readonly ProbeEvent[] } };
  const happenings: Happening[] = [];
  for (let tick = 0; tick * settings.pingIntervalMs <= endMs; tick++) {
    const atMs = tick * settings.pingIntervalMs;
    const rtt = rtts[tick];
    happenings.push({
      atMs,
      order: 1,
      apply: (s) => {
        const expired = expireOverduePings(s, atMs, settings);
        return tick < rtts.length ? { state: recordPingSent(expired.state, tick, atMs, settings), events: expired.events } : expired;
      },
    });
    if (tick < rtts.length && rtt !== null && rtt !== undefined) {
      // In the detector, I/O (pongs) is read before the overdue check of the same moment; a pong never precedes its own ping.
      happenings.push({ atMs: atMs + rtt, order: atMs + rtt === atMs ? 2 : 0, apply: (s) => recordPong(s, { id: tick, sentAt: atMs }, atMs + rtt, settings) });
    }
  }
  happenings.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  let state = INITIAL_PROBE_STATE;
  const events: Timeline['events'] = [];
  for (const happening of happenings.filter((h) => h.atMs <= endMs)) {
    const step = happening.apply(state);
    state = step.state;
    events.push(...step.events.map((event) => ({ atMs: happening.atMs, event })));
  }
  return { state, events };
};

const settingsArb = fc.record({
  pingIntervalMs: fc.integer({ min: 10, max: 200 }),
  pongTimeoutMs: fc.integer({ min: 10, max: 600 }),
  missesToSuspect: fc.integer({ min: 1, max: 6 }),
  observers: fc.constant(1),
});

describe('probe tiers', () => {
  it('should never count a miss while every pong comes back within the timeout', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (settings, fractions) => {
        const rtts = fractions.map((f) => f * settings.pongTimeoutMs);
        const { state, events } = simulate(rtts, settings, rtts.length * settings.pingIntervalMs + settings.pongTimeoutMs + 1);
        expect(events).toEqual([]);
        expect(state.tier).toBe('healthy');
      }),
    );
  });

  it('should make a gateway that stops answering suspect exactly once, within timeout + (misses-1) intervals + one tick', () => {
    fc.assert(
      fc.property(settingsArb, fc.integer({ min: 0, max: 20 }), (settings, healthyPings) => {
        const silentPings = settings.missesToSuspect + 5;
        const rtts = [...Array<number>(healthyPings).fill(1), ...Array<null>(silentPings).fill(null)];
        const hangAtMs = healthyPings * settings.pingIntervalMs;
        const end = rtts.length * settings.pingIntervalMs + settings.pongTimeoutMs + settings.pingIntervalMs;
        const { events } = simulate(rtts, settings, end);
        const suspects = events.filter((e) => e.event.kind === 'suspect');
        expect(suspects).toHaveLength(1);
        const bound = hangAtMs + settings.pongTimeoutMs + (settings.missesToSuspect - 1) * settings.pingIntervalMs + settings.pingIntervalMs;
        expect(suspects[0]?.atMs).toBeLessThanOrEqual(bound);
        expect(events.filter((e) => e.event.kind === 'miss' && e.atMs < hangAtMs)).toEqual([]);
      }),
    );
  });

  it('should tell a slow gateway from a silent one by the late pongs of the streak', () => {
    const slow = simulate([1, 1, 400, 400, 400, 400, 400, 400], SETTINGS, 1_200);
    const silent = simulate([1, 1, null, null, null, null, null, null], SETTINGS, 1_200);
    expect(slow.state).toMatchObject({ tier: 'suspect' });
    expect(slow.state.latePongs).toBeGreaterThan(0);
    expect(slow.state.rttsMs.at(-1)).toBe(400);
    expect(silent.state).toMatchObject({ tier: 'suspect', latePongs: 0 });
    expect(silent.state.consecutiveMisses).toBeGreaterThanOrEqual(SETTINGS.missesToSuspect);
  });

  it('should end a streak on the first pong in time and report the recovery', () => {
    let state = recordPingSent(INITIAL_PROBE_STATE, 1, 0, SETTINGS);
    state = recordPingSent(state, 2, 100, SETTINGS);
    state = expireOverduePings(state, 300, SETTINGS).state;
    expect(state).toMatchObject({ tier: 'missing', consecutiveMisses: 1, streakSinceMs: 0 });
    const step = recordPong(state, { id: 2, sentAt: 100 }, 320, SETTINGS);
    expect(step.events).toEqual([{ kind: 'recovered', from: 'missing' }]);
    expect(step.state).toMatchObject({ tier: 'healthy', consecutiveMisses: 0, streakSinceMs: null, lastPongAtMs: 320 });
  });

  it('should count a late pong as a miss when its deadline passed before any expiry check', () => {
    const state = recordPingSent(INITIAL_PROBE_STATE, 7, 0, SETTINGS);
    const step = recordPong(state, { id: 7, sentAt: 0 }, 300, SETTINGS);
    expect(step.events).toEqual([{ kind: 'miss', pingId: 7, consecutiveMisses: 1 }]);
    expect(step.state).toMatchObject({ tier: 'missing', latePongs: 1, rttsMs: [300] });
  });

  it('should hold L3 until the channel is back, ignoring stray pongs, and drop pending pings without counting them', () => {
    let state = recordPingSent(INITIAL_PROBE_STATE, 1, 0, SETTINGS);
    const lost = recordTransportLost(state, 'ECONNREFUSED', 10);
    expect(lost.events).toEqual([{ kind: 'transport-lost', cause: 'ECONNREFUSED' }]);
    expect(recordTransportLost(lost.state, 'again', 20).events).toEqual([]);
    state = lost.state;
    expect(state).toMatchObject({ tier: 'transport-lost', pending: [], consecutiveMisses: 0, transportLost: { cause: 'ECONNREFUSED', atMs: 10 } });
    expect(recordPong(state, { id: 1, sentAt: 0 }, 30, SETTINGS).state.tier).toBe('transport-lost');
    const up = recordTransportUp(state);
    expect(up.events).toEqual([{ kind: 'recovered', from: 'transport-lost' }]);
    expect(up.state).toMatchObject({ tier: 'healthy', transportLost: null });
  });

  it('should not blame the gateway for the detector\'s own stall', () => {
    const state = recordPingSent(INITIAL_PROBE_STATE, 1, 0, SETTINGS);
    // The detector's loop beat until 50 ms, then stood still until 900 ms: the pong may have sat unread meanwhile.
    const stalls = new OwnStalls({ beatEveryMs: 10, slackMs: 5 });
    for (let t = 0; t <= 50; t += 10) stalls.beat(t);
    expect(expireOverduePings(state, 901, SETTINGS, stalls.within).events).toEqual([]);
    const pong = recordPong(state, { id: 1, sentAt: 0 }, 902, SETTINGS, stalls.within);
    // 902 ms read, 842 ms of it the detector's own: a 60 ms round trip, in time.
    expect(pong.state).toMatchObject({ tier: 'healthy', rttsMs: [60], lastPongAtMs: 902 });
    // Without the discount, the same pong is a late one.
    expect(recordPong(state, { id: 1, sentAt: 0 }, 902, SETTINGS).events).toEqual([{ kind: 'miss', pingId: 1, consecutiveMisses: 1 }]);
  });

  it('should still count a silent gateway\'s misses once the detector has run for a pong timeout after its stall', () => {
    const state = recordPingSent(INITIAL_PROBE_STATE, 1, 0, SETTINGS);
    const stalls = new OwnStalls({ beatEveryMs: 10, slackMs: 5 });
    stalls.beat(0);
    stalls.beat(500); // stood still from 10 to 500 ms
    for (let t = 510; t <= 800; t += 10) stalls.beat(t);
    expect(expireOverduePings(state, 700, SETTINGS, stalls.within).events).toEqual([]);
    expect(expireOverduePings(state, 800, SETTINGS, stalls.within).events).toEqual([{ kind: 'miss', pingId: 1, consecutiveMisses: 1 }]);
  });

  it('should ignore pongs whose echoed timestamp is not a plausible round trip', () => {
    const step = recordPong(INITIAL_PROBE_STATE, { id: 99, sentAt: 5_000 }, 1_000, SETTINGS);
    expect(step).toEqual({ state: INITIAL_PROBE_STATE, events: [] });
  });
});

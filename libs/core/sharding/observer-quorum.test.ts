import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type QuorumInput, assessObserverQuorum } from './observer-quorum.js';
import { type ObserverView, observerViewStatus } from './observer-view.js';

const NOW = 1_000_000;
const SETTINGS = { quorum: 'all' as const, viewFreshMs: 10_000, waitForViewsMs: 1_500 };

const view = (detectorId: string, status: ObserverView['status'], ageMs = 0, instanceId: string | null = 'i1'): ObserverView => ({
  detectorId,
  gatewayId: 'gw-1',
  instanceId,
  status,
  classification: status === 'down' ? 'crash' : null,
  sinceMs: NOW - ageMs - 1,
  atMs: NOW - ageMs,
});

const input = (observers: string[], views: ObserverView[], change: Partial<QuorumInput> = {}): QuorumInput => ({
  selfId: 'd1',
  gatewayId: 'gw-1',
  instanceId: 'i1',
  observers,
  views,
  verdictSinceMs: NOW - 100,
  atMs: NOW,
  settings: SETTINGS,
  ...change,
});

const others = fc.uniqueArray(fc.stringMatching(/^d[2-9]$/), { maxLength: 4 });
const status = fc.constantFrom<ObserverView['status']>('answering', 'down', 'unsure');
const quorum = fc.oneof(fc.constant<'all'>('all'), fc.integer({ min: 1, max: 5 }));
/** Observers with views of random status, age, process and gateway, waited for or not. */
const scenario = fc
  .tuple(others, fc.array(fc.tuple(status, fc.integer({ min: 0, max: 20_000 }), fc.boolean(), fc.boolean()), { minLength: 4, maxLength: 4 }), quorum, fc.boolean())
  .map(([ids, shapes, q, waited]) => {
    const views = ids.map((id, i) => {
      const [s, age, sameInstance, sameGateway] = shapes[i]!;
      return { ...view(id, s, age, sameInstance ? 'i1' : 'i0'), gatewayId: sameGateway ? 'gw-1' : 'gw-2' };
    });
    return input(['d1', ...ids], views, { settings: { ...SETTINGS, quorum: q }, verdictSinceMs: waited ? NOW - 5_000 : NOW - 100 });
  });

const counts = (v: ObserverView, i: QuorumInput) => v.gatewayId === i.gatewayId && v.instanceId === i.instanceId && i.atMs - v.atMs <= i.settings.viewFreshMs;

describe(assessObserverQuorum.name, () => {
  it('should never agree to a removal with quorum "all" while another observer freshly sees the gateway answering', () => {
    fc.assert(
      fc.property(scenario, (i) => {
        const answering = i.views.some((v) => v.status === 'answering' && counts(v, i));
        const result = assessObserverQuorum({ ...i, settings: { ...i.settings, quorum: 'all' } });
        if (!answering) return;
        expect(result.verdict).not.toBe('agreed');
        // Once the wait is over, a fresh answering view is a suspected partition, never a shrug.
        if (i.atMs - i.verdictSinceMs >= i.settings.waitForViewsMs) expect(result.verdict).toBe('partition-suspected');
      }),
    );
  });

  it('should agree when every other live observer freshly sees the gateway down', () => {
    fc.assert(
      fc.property(others, quorum, (ids, q) => {
        const result = assessObserverQuorum(input(['d1', ...ids], ids.map((id) => view(id, 'down')), { settings: { ...SETTINGS, quorum: q } }));
        expect(result.verdict).toBe('agreed');
        expect(result.agreeing).toEqual(['d1', ...ids]);
      }),
    );
  });

  it('should let a lone live observer decide alone', () => {
    fc.assert(fc.property(quorum, (q) => expect(assessObserverQuorum(input(['d1'], [], { settings: { ...SETTINGS, quorum: q } })).verdict).toBe('agreed')));
  });

  it('should ignore stale views, views of another process or gateway, and views of detectors that do not observe it', () => {
    fc.assert(
      fc.property(scenario, fc.array(status, { maxLength: 3 }), (i, strangers) => {
        const noise = strangers.map((s, n) => view(`x${n}`, s));
        const relevant = i.views.filter((v) => counts(v, i));
        const plain = assessObserverQuorum({ ...i, views: relevant });
        const noisy = assessObserverQuorum({ ...i, views: [...i.views, ...noise] });
        expect(noisy).toEqual(plain);
      }),
    );
  });

  it('should never lose agreement when a dissenting or silent observer comes to see the gateway down', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (i, pick) => {
        const before = assessObserverQuorum(i);
        const changeable = [...before.dissenting, ...before.silent];
        fc.pre(changeable.length > 0);
        const who = changeable[pick % changeable.length]!;
        const after = assessObserverQuorum({ ...i, views: [...i.views.filter((v) => v.detectorId !== who), view(who, 'down')] });
        if (before.verdict === 'agreed') expect(after.verdict).toBe('agreed');
        expect(after.agreeing.length).toBe(before.agreeing.length + 1);
      }),
    );
  });

  it('should count itself, and agree only with at least the required number of observers seeing it down', () => {
    fc.assert(
      fc.property(scenario, (i) => {
        const result = assessObserverQuorum(i);
        expect(result.agreeing[0]).toBe('d1');
        expect(result.required).toBeGreaterThanOrEqual(1);
        expect(result.agreeing.length + result.dissenting.length + result.silent.length).toBe(new Set(i.observers).size);
        expect(result.verdict === 'agreed').toBe(result.agreeing.length >= result.required);
      }),
    );
  });

  it('should wait for silent observers at first, then leave them out', () => {
    const early = assessObserverQuorum(input(['d1', 'd2'], []));
    expect(early).toMatchObject({ verdict: 'waiting', required: 2, silent: ['d2'] });
    const late = assessObserverQuorum(input(['d1', 'd2'], [], { verdictSinceMs: NOW - SETTINGS.waitForViewsMs }));
    expect(late).toMatchObject({ verdict: 'agreed', required: 1 });
  });

  it('should need only the policy number of observers when it names one', () => {
    const views = [view('d2', 'down'), view('d3', 'answering')];
    expect(assessObserverQuorum(input(['d1', 'd2', 'd3'], views)).verdict).toBe('partition-suspected');
    expect(assessObserverQuorum(input(['d1', 'd2', 'd3'], views, { settings: { ...SETTINGS, quorum: 2 } })).verdict).toBe('agreed');
  });

  it('should not take an answering view written before the verdict for dissent until the wait is over', () => {
    const stale = [view('d2', 'answering', 3_000)];
    expect(assessObserverQuorum(input(['d1', 'd2'], stale)).verdict).toBe('waiting');
    expect(assessObserverQuorum(input(['d1', 'd2'], stale, { verdictSinceMs: NOW - 3_500 })).verdict).toBe('partition-suspected');
    // The other observer catching up with a real crash agrees before the wait is over.
    expect(assessObserverQuorum(input(['d1', 'd2'], [view('d2', 'down')])).verdict).toBe('agreed');
  });

  it('should explain a suspected partition by naming who still sees the gateway answering', () => {
    const result = assessObserverQuorum(input(['d1', 'd2'], [view('d2', 'answering')]));
    expect(result.reason).toMatch(/still answering for d2: a partition between d1 and gw-1/);
  });
});

describe(observerViewStatus.name, () => {
  it('should report a crash, hang or vanished verdict as down whatever the last pong said', () => {
    for (const c of ['crash', 'silent-hang', 'vanished'] as const) expect(observerViewStatus(true, c)).toBe('down');
  });

  it('should report answering only with a recent pong and no crash or hang verdict, else unsure', () => {
    expect(observerViewStatus(true, null)).toBe('answering');
    expect(observerViewStatus(true, 'rtt-spike')).toBe('answering');
    expect(observerViewStatus(false, 'rtt-spike')).toBe('unsure');
    expect(observerViewStatus(false, null)).toBe('unsure');
  });
});

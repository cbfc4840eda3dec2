import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deepFreeze } from '../decision/deep-freeze.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import { MissingPolicyVersionsError, simulatePolicy, type SimulationInput } from './simulate-policy.js';
import { endedRun, hang, quiet, recordMoments, type Moment } from './test-fixtures.js';
import { recordedTriggerOf } from './timeline-event.js';
import type { TimelineObservation } from './timeline-observation.js';

/** Blast radius counts over the fleet: a fleet of one could never lose its only gateway. */
const FLEET = ['gw-1', 'gw-2', 'gw-3', 'gw-4'];
const IN_FORCE: Policy = { ...DEFAULT_POLICY, version: 2, guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 1 } };
const withDetector = (missesToSuspect: number, base: Policy = IN_FORCE): Policy => ({ ...base, version: 99, detector: { ...base.detector, missesToSuspect } });
const simulate = (observations: readonly TimelineObservation[], candidate: Policy, extra: Partial<SimulationInput> = {}) =>
  simulatePolicy({ candidate, policies: new Map([[IN_FORCE.version, IN_FORCE]]), observations, window: { fromMs: 0, untilMs: 1_000_000 }, fleet: FLEET, ...extra });

/** A gateway that hangs for `misses` pings and then answers again. */
const hangThenRecover = (gatewayId: string, at: number, misses: number) =>
  recordMoments(gatewayId, IN_FORCE, [quiet(at), ...hang(at, misses), quiet(at + (misses + 1) * 100)]);

describe(simulatePolicy.name, () => {
  it('should reproduce every recorded decision with the policy in force', () => {
    const observations = [
      ...hangThenRecover('gw-1', 0, 5),
      ...recordMoments('gw-2', IN_FORCE, [quiet(0), { atMs: 100, probe: { tier: 'transport-lost', transportLost: { cause: 'socket closed', atMs: 100 } } }]),
      ...recordMoments('gw-3', IN_FORCE, [quiet(0), { atMs: 200, reports: { writeBlocked: true } }, quiet(400)]),
    ];
    const { summary, incidents } = simulate(observations, IN_FORCE);
    expect(summary.determinism).toMatchObject({ decisions: observations.length, reproduced: observations.length, mismatches: [] });
    expect(incidents.map((i) => [i.gatewayId, i.difference, i.inForce.rule])).toEqual([
      ['gw-2', 'same', 'degrade-failing'],
      ['gw-3', 'same', 'degrade-failing'],
      ['gw-1', 'same', 'degrade-failing'],
    ]);
    expect(summary.inForce.removals).toBe(3);
    expect(summary.candidate.removals).toBe(3);
  });

  it('should remove a hung gateway earlier under a stricter missesToSuspect, and explain the path', () => {
    const { incidents, summary } = simulate(hangThenRecover('gw-1', 0, 5), withDetector(2));
    const [incident] = incidents;
    expect(incident).toMatchObject({ difference: 'earlier', inForce: { removedAtMs: 300 }, candidate: { removedAtMs: 200, rule: 'degrade-failing', facts: ['heartbeatLost'] } });
    expect(incident?.candidate.path).toContain('degrade-failing ✓ (heartbeatLost=true)');
    // Counted from the first missed pong.
    expect(summary.candidate.medianTimeToRemovalMs).toBe(100);
    expect(summary.inForce.medianTimeToRemovalMs).toBe(200);
  });

  it('should show the removals a looser missesToSuspect misses, as false-positive candidates of the policy in force only', () => {
    const { incidents, summary } = simulate(hangThenRecover('gw-1', 0, 5), withDetector(10));
    expect(incidents[0]).toMatchObject({ difference: 'not-removed', recoveredOnItsOwn: false, candidate: { removedAtMs: null } });
    expect(summary.candidate.removals).toBe(0);
    expect(summary.differences['not-removed']).toBe(1);
  });

  it('should count a removal of a gateway that recovered on its own as a false-positive candidate', () => {
    // Two misses: the policy in force (3 to suspect) waits, and the gateway answers again.
    const { incidents, summary } = simulate(hangThenRecover('gw-1', 0, 2), withDetector(2));
    expect(incidents[0]).toMatchObject({ difference: 'newly-removed', recoveredOnItsOwn: true });
    expect(summary.candidate.falsePositiveCandidates).toBe(1);
  });

  it('should block a removal that would take too much of the fleet out', () => {
    const crash = (id: string): TimelineObservation[] =>
      recordMoments(id, IN_FORCE, [quiet(0), { atMs: 100, probe: { tier: 'transport-lost', transportLost: { cause: 'reset', atMs: 100 } } }]);
    const strict: Policy = { ...IN_FORCE, version: 99, guardrails: { ...IN_FORCE.guardrails, maxQuarantinedFraction: 0.34 } };
    const { incidents, summary } = simulate([...crash('gw-1'), ...crash('gw-2'), ...recordMoments('gw-3', IN_FORCE, [quiet(0)])], strict, { fleet: ['gw-1', 'gw-2', 'gw-3'] });
    expect(incidents.map((i) => i.difference).sort()).toEqual(['blocked-by-guardrail', 'same']);
    expect(incidents.find((i) => i.difference === 'blocked-by-guardrail')?.candidate.blockedBy).toMatchObject({ guardrail: 'blast-radius' });
    expect(summary.candidate).toMatchObject({ removals: 1, blockedByGuardrail: 1 });
  });

  it('should flag a gateway the candidate would remove again and again as flapping', () => {
    const flapping = recordMoments('gw-1', IN_FORCE, [0, 60_000, 120_000].flatMap((t) => [quiet(t), ...hang(t, 3), quiet(t + 1_000)]));
    const noCooldown: Policy = { ...IN_FORCE, version: 99, guardrails: { ...IN_FORCE.guardrails, rateLimit: { ...IN_FORCE.guardrails.rateLimit, perGatewayCooldownMs: 0 } } };
    const { incidents, summary } = simulate(flapping, noCooldown);
    expect(incidents.map((i) => i.candidate.flapped)).toEqual([false, true, true]);
    // The third time flap damping hands the gateway to a human instead.
    expect(incidents[2]?.candidate.blockedBy).toMatchObject({ guardrail: 'flap-damping' });
    expect(summary.candidate.wouldFlap).toBe(2);
  });

  it('should name the policy versions it lacks', () => {
    const observations = hangThenRecover('gw-1', 0, 3);
    expect(() => simulatePolicy({ candidate: IN_FORCE, policies: new Map(), observations, window: { fromMs: 0, untilMs: 1 } })).toThrow(MissingPolicyVersionsError);
    expect(() => simulatePolicy({ candidate: IN_FORCE, policies: new Map(), observations, window: { fromMs: 0, untilMs: 1 } })).toThrow(/versions that are not stored: 2/);
  });

  it('should say what the run did beside what the detector decided, and check the run was the one it started', () => {
    const crash = recordMoments('gw-1', IN_FORCE, [quiet(0), { atMs: 100, probe: { tier: 'transport-lost', transportLost: { cause: 'reset', atMs: 100 } } }]);
    // Stamped by a wall clock a little behind the detector's: still this incident's run.
    const run = endedRun('gw-1', { requestedAt: 97 });
    const lease = recordedTriggerOf({ gatewayId: 'gw-1', trigger: 'lease-expired', reason: 'registration lease expired', requestedAt: 2_500 }, 'lease-watcher', { workflowId: 'remediate:gw-1', runId: null, delivery: 'delivered' });
    const { incidents, summary } = simulate(crash, withDetector(1), { events: [lease, run] });
    // The detector degraded; the run, deciding on its own evidence, took the gone gateway out.
    expect(incidents[0]).toMatchObject({ inForce: { actions: ['degrade'], rule: 'degrade-failing' }, happened: { status: 'recorded', triggers: [lease] } });
    expect(incidents[0]?.happened.runs).toEqual([run]);
    expect(run).toMatchObject({ actions: ['quarantine', 'migrate'], outcome: 'healed', policyVersion: 2, trigger: 'detector', startedAt: 107, finishedAt: 1_097, outOfRotationAt: 137 });
    expect(summary.determinism.runs).toEqual({ recorded: 1, reproduced: 1, mismatches: [] });
    expect(summary.runs).toEqual({ recorded: 1, inIncidents: 1, outsideIncidents: 0, incidentsNotRecorded: 0 });
  });

  it('should say not recorded where a run was started but none was recorded, and no run where none was', () => {
    const observations = [...hangThenRecover('gw-1', 0, 5), ...hangThenRecover('gw-2', 0, 2)];
    // Under a candidate suspecting at two misses, gw-2's stall is an incident too: one with no run.
    const { incidents, summary } = simulate(observations, withDetector(2));
    expect(incidents.map((i) => [i.gatewayId, i.happened.status])).toEqual([
      ['gw-1', 'not-recorded'],
      ['gw-2', 'no-run'],
    ]);
    expect(summary.runs.incidentsNotRecorded).toBe(1);
  });

  it('should count a detector run the policy in force does not start as a mismatch, and keep runs outside incidents apart', () => {
    // gw-2 only missed two pongs: the policy in force (three to suspect) starts nothing there.
    const observations = [...hangThenRecover('gw-1', 0, 5), ...hangThenRecover('gw-2', 0, 2)];
    const stray = endedRun('gw-2', { requestedAt: 150 });
    const operators = endedRun('gw-3', { requestedAt: 500, trigger: 'api' });
    const { incidents, summary, outsideIncidents } = simulate(observations, withDetector(2), { events: [stray, operators] });
    expect(incidents.find((i) => i.gatewayId === 'gw-2')?.happened.status).toBe('recorded');
    expect(summary.determinism.runs).toMatchObject({ recorded: 1, reproduced: 0, mismatches: [{ gatewayId: 'gw-2', runId: 'run-150', why: expect.stringContaining('starts no run') }] });
    expect(outsideIncidents).toEqual([operators]);
    expect(summary.runs).toEqual({ recorded: 2, inIncidents: 1, outsideIncidents: 1, incidentsNotRecorded: 1 });
  });

  it('should be pure: the same answer twice, and its input untouched', () => {
    const moment: fc.Arbitrary<Moment> = fc.record({
      probe: fc.record({ consecutiveMisses: fc.integer({ min: 0, max: 8 }), latePongs: fc.integer({ min: 0, max: 2 }) }),
      reports: fc.record({ writeBlocked: fc.boolean(), retryPending: fc.boolean() }),
      leaseExpired: fc.boolean(),
      rttsMs: fc.array(fc.double({ min: 0.1, max: 400, noNaN: true }), { minLength: 1, maxLength: 10 }),
    });
    const candidate = fc.record({ missesToSuspect: fc.integer({ min: 1, max: 6 }), fireBelow: fc.integer({ min: 10, max: 60 }), fraction: fc.double({ min: 0.1, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(moment, { maxLength: 30 }), fc.array(moment, { maxLength: 30 }), candidate, (a, b, c) => {
        const observations = deepFreeze([
          ...recordMoments('gw-a', IN_FORCE, a.map((m, i) => ({ ...m, atMs: i * 100 }))),
          ...recordMoments('gw-b', IN_FORCE, b.map((m, i) => ({ ...m, atMs: i * 150 }))),
        ]);
        const policy = deepFreeze<Policy>({
          ...withDetector(c.missesToSuspect),
          hysteresis: { ...IN_FORCE.hysteresis, fireBelow: c.fireBelow },
          guardrails: { ...IN_FORCE.guardrails, maxQuarantinedFraction: c.fraction },
        });
        const before = JSON.stringify(observations);
        const first = simulate(observations, policy);
        expect(simulate(observations, policy)).toEqual(first);
        expect(JSON.stringify(observations)).toBe(before);
        // Whatever the candidate, the policy in force replays what it recorded.
        expect(first.summary.determinism.mismatches).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ACTIONS } from '../decision/actions.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { decideIncident } from './decide-remediation.js';
import { type EvidenceSample } from './evidence.js';
import { type TriggerRecord, backoffDelayMs, compareDecision, crashReported, freshFindings, processGone } from './incident.js';

const sample = (over: Partial<EvidenceSample>): EvidenceSample => ({ at: 0, registered: true, reachable: true, ...over });
const trigger = (at: number, facts: string[], classification = 'write-blocked'): TriggerRecord => ({
  at,
  trigger: 'detector',
  reason: 'r',
  requestedAt: at,
  findings: { detectorId: 'd', facts, classification },
});

describe(compareDecision.name, () => {
  it('should call the first verdict first, a more severe one an escalation and none after acting a de-escalation', () => {
    expect(compareDecision(undefined, ['degrade'])).toBe('first');
    expect(compareDecision(['observe'], ['degrade'])).toBe('escalate');
    expect(compareDecision(['degrade'], ['quarantine', 'migrate'])).toBe('escalate');
    expect(compareDecision(['degrade'], ['degrade'])).toBe('same');
    expect(compareDecision(['degrade'], ['observe'])).toBe('same');
    expect(compareDecision(['degrade'], ['none'])).toBe('de-escalate');
    expect(compareDecision(['observe'], ['none'])).toBe('de-escalate');
  });

  it('should never call a verdict an escalation unless it is strictly more severe', () => {
    const actions = fc.subarray([...ACTIONS], { minLength: 1 });
    fc.assert(
      fc.property(actions, actions, (a, b) => {
        const change = compareDecision(a, b);
        const severity = (xs: readonly string[]) => Math.max(...xs.map((x) => ACTIONS.indexOf(x as (typeof ACTIONS)[number])));
        if (change === 'escalate') expect(severity(b)).toBeGreaterThan(severity(a));
        else expect(severity(b)).toBeLessThanOrEqual(severity(a));
      }),
    );
  });
});

describe(freshFindings.name, () => {
  it('should merge the facts of every fresh trigger and let old ones lapse', () => {
    const triggers = [trigger(0, ['writeBlocked']), trigger(3_000, ['heartbeatLost'], 'silent-hang')];
    expect(freshFindings(triggers, 4_000, 5_000)).toMatchObject({ facts: ['heartbeatLost', 'writeBlocked'], classification: 'silent-hang' });
    expect(freshFindings(triggers, 7_000, 5_000)?.facts).toEqual(['heartbeatLost']);
    expect(freshFindings(triggers, 9_000, 5_000)).toBeUndefined();
  });

  it('should keep a suspected partition only while every recent trigger says so', () => {
    const suspected = (at: number): TriggerRecord => ({ ...trigger(at, ['heartbeatLost'], 'crash'), findings: { detectorId: 'd', facts: ['heartbeatLost'], classification: 'crash', partitionSuspected: true } });
    const lease: TriggerRecord = { at: 2_000, trigger: 'lease-expired', reason: 'backstop', requestedAt: 2_000 };
    expect(freshFindings([suspected(0), suspected(1_000)], 1_500, 5_000)?.partitionSuspected).toBe(true);
    expect(freshFindings([suspected(0), lease], 2_500, 5_000)?.partitionSuspected).toBeUndefined();
    expect(freshFindings([suspected(0), trigger(1_000, ['heartbeatLost'], 'crash')], 1_500, 5_000)?.partitionSuspected).toBeUndefined();
    // Once the contradicting trigger lapsed, the suspicion speaks again.
    expect(freshFindings([trigger(0, ['heartbeatLost'], 'crash'), suspected(6_000)], 7_000, 5_000)?.partitionSuspected).toBe(true);
  });
});

describe(processGone.name, () => {
  it('should call a gateway gone when nothing listens and its lease is gone or a detector saw it crash', () => {
    const refused = sample({ reachable: false, agentError: 'refused' });
    expect(processGone([refused, refused], { detectorId: 'd', facts: ['heartbeatLost'], classification: 'crash' })).toBe(true);
    expect(processGone([refused, { ...refused, registered: false }], undefined)).toBe(true);
    expect(processGone([sample({ registered: false, reachable: false, agentError: 'timeout' })], undefined)).toBe(true);
  });

  it('should not call a gateway gone while its agent answers, even unregistered, nor a hung one still registered', () => {
    expect(processGone([sample({ registered: false, reachable: true })], undefined)).toBe(false);
    expect(processGone([sample({ reachable: false, agentError: 'timeout' })], { detectorId: 'd', facts: ['heartbeatLost'], classification: 'silent-hang' })).toBe(false);
    expect(processGone([], undefined)).toBe(false);
  });
});

describe(decideIncident.name, () => {
  it('should take a crashed gateway out as vanished rather than degrade it', () => {
    const refused = sample({ reachable: false, agentError: 'refused' });
    const decision = decideIncident(DEFAULT_POLICY, [refused, refused, refused], { detectorId: 'd', facts: ['heartbeatLost'], classification: 'crash' }, undefined);
    expect(decision).toMatchObject({ actions: ['quarantine', 'migrate'], rule: 'isolate-vanished' });
  });

  it('should escalate to quarantine and migrate on write-block and heartbeat loss together', () => {
    const decision = decideIncident(DEFAULT_POLICY, [sample({})], { detectorId: 'd', facts: ['heartbeatLost', 'writeBlocked'] }, undefined);
    expect(decision).toMatchObject({ actions: ['quarantine', 'migrate'], rule: 'isolate-wedged' });
  });

  it('should degrade instead of removing while a partition is suspected, and say why', () => {
    const refused = sample({ reachable: false, agentError: 'refused' });
    const findings = { detectorId: 'd', facts: ['heartbeatLost'], classification: 'crash', partitionSuspected: true };
    const decision = decideIncident(DEFAULT_POLICY, [refused, refused, refused], findings, undefined);
    expect(decision.actions).toEqual(['degrade']);
    expect(decision.explanation.at(-1)).toMatch(/^capped at degrade: partition suspected .* the tree said quarantine\+migrate$/);
    // An operator's explicit order is not capped.
    expect(decideIncident(DEFAULT_POLICY, [refused], findings, ['quarantine', 'migrate']).actions).toEqual(['quarantine', 'migrate']);
  });

  it("should hand back the observe branch's back-off with its verdict", () => {
    // The gateway reports it is retrying the blocked sessions (vitals.retryPending).
    const vitals = { writeBlocked: true, retryPending: true, sendBufferBytes: 10_000 } as EvidenceSample['vitals'];
    const decision = decideIncident(DEFAULT_POLICY, [sample({ vitals })], undefined, undefined);
    expect(decision).toMatchObject({ actions: ['observe'], rule: 'wait-for-retry', params: { backoff: { initialMs: 200, maxMs: 5_000, multiplier: 2 } } });
  });
});

describe(backoffDelayMs.name, () => {
  it('should grow by the multiplier and stop at the maximum', () => {
    const backoff = { initialMs: 200, maxMs: 5_000, multiplier: 2 };
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(backoff, n))).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
  });
});

describe(crashReported.name, () => {
  it('should call a trigger conclusive only when it says the process died', () => {
    expect(crashReported({ trigger: 'lease-expired' })).toBe(true);
    expect(crashReported({ trigger: 'detector', findings: { detectorId: 'd', facts: [], classification: 'crash' } })).toBe(true);
    expect(crashReported({ trigger: 'detector', findings: { detectorId: 'd', facts: ['heartbeatLost'], classification: 'silent-hang' } })).toBe(false);
    expect(crashReported({ trigger: 'api' })).toBe(false);
    expect(crashReported({ trigger: 'k8s' })).toBe(false);
  });
});

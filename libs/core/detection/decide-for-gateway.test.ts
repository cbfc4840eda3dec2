import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SelfReportFrame } from '../protocol/control-channel.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import { decideForGateway, responseToActions } from './decide-for-gateway.js';
import type { GatewaySnapshot } from './detection-signals.js';
import { INITIAL_HEALTH_WATCH_STATE } from './health-watch.js';
import { INITIAL_AVAILABILITY_STATE } from './availability.js';
import { INITIAL_PROBE_STATE, type ProbeState } from './probe-tiers.js';
import { INITIAL_SELF_REPORT_STATE, applySelfReport } from './self-report-state.js';

const AT = 1_000_000;

const healthy: GatewaySnapshot = {
  probe: { ...INITIAL_PROBE_STATE, rttsMs: [0.4, 0.5, 0.3], lastPongAtMs: AT - 50 },
  reports: INITIAL_SELF_REPORT_STATE,
  health: INITIAL_HEALTH_WATCH_STATE,
  vitals: undefined,
  availability: INITIAL_AVAILABILITY_STATE,
  leaseExpired: false,
  atMs: AT,
};

const withProbe = (probe: Partial<ProbeState>): GatewaySnapshot => ({ ...healthy, probe: { ...healthy.probe, ...probe } });
const reported = (kind: SelfReportFrame['kind'], detail?: Record<string, unknown>): GatewaySnapshot => ({
  ...healthy,
  reports: applySelfReport(INITIAL_SELF_REPORT_STATE, { t: 'report', gatewayId: 'gw-1', kind, at: AT, ...(detail ? { detail } : {}) }, AT),
});

const lost = withProbe({ tier: 'transport-lost', transportLost: { cause: 'socket closed (1006)', atMs: AT } });
const hung = withProbe({ tier: 'suspect', consecutiveMisses: 3 });
const slow = withProbe({ tier: 'suspect', consecutiveMisses: 3, latePongs: 2 });
const spiking: GatewaySnapshot = {
  ...healthy,
  health: { ...INITIAL_HEALTH_WATCH_STATE, rtt: { spike: true, medianMs: 120, thresholdMs: 21, baselineMs: 1 } },
};

const decide = (snapshot: GatewaySnapshot, policy: Policy = DEFAULT_POLICY, shadow = false) => decideForGateway(snapshot, policy, { shadow });

describe(decideForGateway.name, () => {
  it('should not consult the tree while no signal is up', () => {
    expect(decide(healthy)).toMatchObject({ signals: [], evaluation: null, response: 'none' });
    // A single late pong is L1 noise, not a signal.
    expect(decide(withProbe({ tier: 'missing', consecutiveMisses: 1 })).response).toBe('none');
  });

  it.each([
    ['a lost channel', lost, 'L3-transport', 'crash', 'remediate'],
    ['a silent streak of misses', hung, 'L2-suspect', 'silent-hang', 'remediate'],
    ['a streak of late pongs', slow, 'L2-suspect', 'rtt-spike', 'remediate'],
    ['a write-blocked report', reported('write-blocked'), 'self-report', 'write-blocked', 'remediate'],
    ['a write-blocked report with a retry pending', reported('write-blocked', { retryPending: true }), 'self-report', 'write-blocked', 'observe'],
    ['an error burst', reported('error-burst'), 'self-report', 'error-burst', 'observe'],
    ['a sustained RTT rise', spiking, 'L1-rtt', 'rtt-spike', 'observe'],
  ])('should classify %s and answer as the default tree says', (_case, snapshot, tier, classification, response) => {
    const decision = decide(snapshot);
    expect(decision.signals[0]).toEqual({ tier, classification });
    expect(decision.response).toBe(response);
    expect(decision.evaluation?.path.length).toBeGreaterThan(0);
  });

  it('should leave a gateway that announced its shutdown alone, unless its lease then ran out', () => {
    const leaving = { ...lost, reports: reported('shutdown').reports };
    expect(decide(leaving)).toMatchObject({ response: 'none', evaluation: null });
    const diedOnTheWayOut = decide({ ...leaving, leaseExpired: true });
    expect(diedOnTheWayOut.signals[0]).toEqual({ tier: 'lease-expired', classification: 'vanished' });
    expect(diedOnTheWayOut.response).toBe('remediate');
  });

  it('should never remediate in shadow mode, whether the policy or the flag asks for it', () => {
    const shadowPolicy: Policy = { ...DEFAULT_POLICY, mode: 'shadow' };
    for (const snapshot of [lost, hung, slow, reported('write-blocked'), spiking]) {
      expect(decide(snapshot, shadowPolicy).response).not.toBe('remediate');
      expect(decide(snapshot, DEFAULT_POLICY, true).response).not.toBe('remediate');
    }
    expect(decide(lost, shadowPolicy).response).toBe('shadow');
  });

  it('should follow the live tree, not a built-in rule', () => {
    const neverAct: Policy = { ...DEFAULT_POLICY, decisionTree: { rules: [], otherwise: { actions: ['none'] } } };
    expect(decide(lost, neverAct)).toMatchObject({ response: 'none', evaluation: { verdict: { matchedRule: null } } });
  });
});

describe(responseToActions.name, () => {
  it('should remediate exactly when an action at least as severe as degrade is called for', () => {
    const actions = ['none', 'observe', 'degrade', 'quarantine', 'migrate', 'drain'] as const;
    fc.assert(
      fc.property(fc.subarray([...actions], { minLength: 1 }), fc.boolean(), (chosen, shadow) => {
        const severe = chosen.some((a) => a !== 'none' && a !== 'observe');
        const response = responseToActions(chosen, shadow);
        expect(response === 'remediate' || response === 'shadow').toBe(severe);
        if (severe) expect(response).toBe(shadow ? 'shadow' : 'remediate');
      }),
    );
  });
});

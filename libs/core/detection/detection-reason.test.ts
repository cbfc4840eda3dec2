import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { decideForGateway } from './decide-for-gateway.js';
import { buildDetectionEvidence } from './detection-evidence.js';
import { formatDetectionReason, parseDetectionReason } from './detection-reason.js';
import type { GatewaySnapshot } from './detection-signals.js';
import { INITIAL_HEALTH_WATCH_STATE } from './health-watch.js';
import { INITIAL_AVAILABILITY_STATE } from './availability.js';
import { INITIAL_PROBE_STATE } from './probe-tiers.js';
import { INITIAL_SELF_REPORT_STATE } from './self-report-state.js';

const AT = 2_000_000;
const hung: GatewaySnapshot = {
  probe: { ...INITIAL_PROBE_STATE, tier: 'suspect', consecutiveMisses: 3, rttsMs: [0.41, 0.52, 0.33], lastPongAtMs: AT - 512 },
  reports: INITIAL_SELF_REPORT_STATE,
  health: INITIAL_HEALTH_WATCH_STATE,
  vitals: undefined,
  availability: INITIAL_AVAILABILITY_STATE,
  leaseExpired: false,
  atMs: AT,
};

describe(formatDetectionReason.name, () => {
  const decision = decideForGateway(hung, DEFAULT_POLICY, { shadow: false });
  const evidence = buildDetectionEvidence({ detectorId: 'det-a', gatewayId: 'gw-1' }, hung, decision, DEFAULT_POLICY);

  it('should say what was seen and what was decided in its first line', () => {
    const [headline] = formatDetectionReason(evidence).split('\n');
    expect(headline).toBe(
      'gw-1 silent-hang [L2-suspect]: 3 consecutive pong misses (0 late), no pong in time for 512 ms; last RTTs 0.4/0.5/0.3 ms ' +
        `→ ${decision.evaluation?.verdict.actions.join('+')} by rule "${decision.evaluation?.verdict.matchedRule?.name}" ` +
        `(policy v${DEFAULT_POLICY.version} enforce, detector det-a)`,
    );
  });

  it('should carry the whole evidence, including the decision path, for tools to read back', () => {
    const parsed = parseDetectionReason(formatDetectionReason(evidence));
    expect(parsed).toEqual(evidence);
    expect(parsed?.facts).toContain('heartbeatLost');
    expect(parsed?.path).toMatch(/✓ \(.*heartbeatLost=true.*\) · → /);
  });

  it('should find no evidence in a reason some other trigger wrote', () => {
    expect(parseDetectionReason('registration lease expired')).toBeUndefined();
    expect(parseDetectionReason('x\nevidence: {"not": "evidence"}')).toBeUndefined();
  });

  it('should refuse to build evidence when nothing was detected', () => {
    const quiet = { ...hung, probe: INITIAL_PROBE_STATE };
    const none = decideForGateway(quiet, DEFAULT_POLICY, { shadow: false });
    expect(() => buildDetectionEvidence({ detectorId: 'd', gatewayId: 'gw-1' }, quiet, none, DEFAULT_POLICY)).toThrow(/nothing to give evidence of/);
  });
});

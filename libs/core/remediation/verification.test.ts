import { describe, expect, it } from '@jest/globals';
import { INCIDENT_LOOKBACK_MS, type VerificationFacts, inArrivalWindow, incidentArrivalWindow, judgeVerification, promiseOf } from './verification.js';

const base: VerificationFacts = {
  gatewayId: 'gw-1',
  inRotation: false,
  state: 'degraded',
  registered: true,
  agent: { reachable: true, accepting: false, sessions: 40 },
  servingAnswering: ['gw-2'],
};

describe(judgeVerification.name, () => {
  it('should pass a degrade that refuses new sessions although its sessions stay', () => {
    expect(judgeVerification('refusing', base)).toMatchObject({ ok: true, problems: [] });
  });

  it('should fail a degrade whose agent did not answer: unknown is never success', () => {
    const verdict = judgeVerification('refusing', { ...base, agent: { reachable: false, why: 'timeout' } });
    expect(verdict.ok).toBe(false);
    expect(verdict.checks.find((c) => c.fact === 'refusing-new-sessions')).toMatchObject({ observed: false, ok: false });
  });

  it('should fail an emptied promise while sessions remain, and pass it at zero', () => {
    expect(judgeVerification('emptied', { ...base, state: 'quarantined' }).problems).toEqual(['sessions-left: 40 sessions still on gw-1 (its agent says)']);
    expect(judgeVerification('emptied', { ...base, agent: { reachable: true, accepting: false, sessions: 0 } }).ok).toBe(true);
  });

  it('should count a gateway that left the fleet (no registration, no state record) as out of rotation', () => {
    const left: VerificationFacts = { ...base, state: undefined, registered: false, inRotation: true, agent: { reachable: false, why: 'no-address' }, expectedClients: 3 };
    const verdict = judgeVerification('emptied', { ...left, clientsElsewhere: { count: 3, byGateway: { 'gw-2': 3 } } });
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.checks[0]).toMatchObject({ fact: 'out-of-rotation', observed: true, detail: 'left the fleet: no registration and no state in etcd' });
  });

  it('should pass an emptied gateway that exited after its own agent counted no session left, and only if nothing listens there', () => {
    const exited: VerificationFacts = { ...base, state: 'draining', agent: { reachable: false, why: 'refused' }, expectedClients: 2000, sourceReportedEmpty: true };
    const verdict = judgeVerification('emptied', { ...exited, clientsElsewhere: { count: 1980, byGateway: { 'gw-2': 1980 } } });
    expect(verdict.ok).toBe(true);
    expect(verdict.checks.find((c) => c.fact === 'sessions-left')).toMatchObject({ observed: true, value: 0 });
    // A hung process (timeout) might still hold sockets: its earlier count is not enough.
    expect(judgeVerification('emptied', { ...exited, agent: { reachable: false, why: 'timeout' } }).ok).toBe(false);
  });

  it('should pass an emptied gateway whose agent has exited only when all its clients are counted elsewhere', () => {
    const exited: VerificationFacts = { ...base, state: 'draining', agent: { reachable: false, why: 'refused' }, expectedClients: 30 };
    expect(judgeVerification('emptied', { ...exited, clientsElsewhere: { count: 30, byGateway: { 'gw-2': 30 } } }).ok).toBe(true);
    expect(judgeVerification('emptied', { ...exited, clientsElsewhere: { count: 29, byGateway: { 'gw-2': 29 } } }).ok).toBe(false);
    // Nobody knows how many it held, or nobody counted: unknown, never success.
    expect(judgeVerification('emptied', { ...exited, expectedClients: undefined, clientsElsewhere: { count: 30, byGateway: {} } }).ok).toBe(false);
    expect(judgeVerification('emptied', exited).ok).toBe(false);
  });

  it("should pass a gone gateway only when its clients are counted elsewhere, and mark an unseen count as assumed", () => {
    const gone: VerificationFacts = { ...base, state: 'quarantined', agent: { reachable: false, why: 'refused' }, expectedClients: 40 };
    expect(judgeVerification('gone', { ...gone, clientsElsewhere: { count: 39, byGateway: { 'gw-2': 39 } } }).ok).toBe(false);
    expect(judgeVerification('gone', { ...gone, clientsElsewhere: { count: 40, byGateway: { 'gw-2': 40 } } }).ok).toBe(true);
    expect(judgeVerification('gone', gone).ok).toBe(false);
    const { expectedClients: _unseen, ...unseen } = gone;
    const verdict = judgeVerification('gone', { ...unseen, clientsElsewhere: { count: 12, byGateway: { 'gw-2': 12 } } });
    expect(verdict.ok).toBe(true);
    expect(verdict.checks.filter((c) => !c.observed).map((c) => c.fact)).toEqual(['clients-before']);
  });

  it('should fail any promise while the gateway is still in rotation or no serving gateway answers', () => {
    expect(judgeVerification('refusing', { ...base, inRotation: true }).ok).toBe(false);
    // Unregistered, but a serving record would let a returning process back in.
    expect(judgeVerification('emptied', { ...base, state: 'serving', registered: false, inRotation: true, agent: { reachable: true, accepting: true, sessions: 0 } }).ok).toBe(false);
    expect(judgeVerification('refusing', { ...base, servingAnswering: [] }).ok).toBe(false);
  });
});

describe(promiseOf.name, () => {
  it('should promise per action: degrade refuses, removal empties, a gone source is gone', () => {
    expect(promiseOf(['degrade'], false)).toBe('refusing');
    expect(promiseOf(['quarantine', 'migrate'], false)).toBe('emptied');
    expect(promiseOf(['quarantine', 'migrate'], true)).toBe('gone');
    expect(promiseOf(['observe'], false)).toBeUndefined();
  });
});

describe(incidentArrivalWindow.name, () => {
  it('should count reconnects from a lookback before the first trigger (never before the epoch) and redirects from the trigger on', () => {
    expect(incidentArrivalWindow(100_000)).toEqual({ since: 100_000 - INCIDENT_LOOKBACK_MS, redirectsSince: 100_000 });
    expect(incidentArrivalWindow(1_000)).toEqual({ since: 0, redirectsSince: 1_000 });
  });
});

describe(inArrivalWindow.name, () => {
  const window = incidentArrivalWindow(100_000);
  it('should keep out a reconnect from an earlier incident and a redirect made before this one', () => {
    expect(inArrivalWindow({ at: 60_000, redirected: false }, window)).toBe(false);
    expect(inArrivalWindow({ at: 99_000, redirected: true }, window)).toBe(false);
  });
  it('should count a reconnect just before the trigger (the crash precedes it) and a redirect of this incident', () => {
    expect(inArrivalWindow({ at: 99_000, redirected: false }, window)).toBe(true);
    expect(inArrivalWindow({ at: 100_000, redirected: true }, window)).toBe(true);
  });
});

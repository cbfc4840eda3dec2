import { describe, expect, it } from '@jest/globals';
import { type ScenarioScore, renderScorecard, verdictOf } from './scorecard.js';

const score = (scenario: string, violations: string[]): ScenarioScore => ({
  scenario,
  fault: 'SIGKILL one gateway',
  outcome: 'healed (quarantine+migrate)',
  timeToDetectMs: 35.4,
  timeRehomedMs: 420,
  sessions: 100,
  delivered: 4_000,
  lost: 0,
  duplicated: 0,
  reordered: 0,
  runsStarted: 2,
  violations,
  verdict: verdictOf(violations),
});

describe(renderScorecard.name, () => {
  it('should print one aligned row per scenario and the overall verdict', () => {
    const text = renderScorecard({ profile: 'ci', seed: 7, sessions: 400, startedAt: '', scenarios: [score('gateway-sigkill', [])], verdict: 'pass' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('chaos ci profile, seed 7, 400 sessions: PASS');
    expect(lines[2]).toMatch(/^scenario\s+fault\s+outcome\s+detect ms\s+out ms\s+re-homed ms\s+lost\/dup\/reord\s+runs\s+verdict$/);
    expect(lines[4]).toMatch(/^gateway-sigkill\s+SIGKILL one gateway\s+healed \(quarantine\+migrate\)\s+35\s+—\s+420\s+0\/0\/0\s+2\s+PASS$/);
  });

  it('should list every broken invariant under its scenario, and what broke after the run', () => {
    const text = renderScorecard({
      profile: 'full',
      seed: 1,
      sessions: 2_000,
      startedAt: '',
      scenarios: [score('write-block', ['delivery: 3 lost'])],
      afterRun: ['orphan processes after the run: 123'],
      verdict: 'fail',
    });
    expect(text).toContain('broken invariants:\nwrite-block:\n  - delivery: 3 lost\nafter the run:\n  - orphan processes after the run: 123');
  });
});

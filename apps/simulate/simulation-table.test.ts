import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY, simulatePolicy } from '#core';
import { endedRun, hang, quiet, recordMoments } from '../../libs/core/policy-lab/test-fixtures.js';
import { formatSimulation } from './simulation-table.js';

describe(formatSimulation.name, () => {
  it('should print one row per incident and the summary', () => {
    const observations = recordMoments('gw-1', DEFAULT_POLICY, [quiet(0), ...hang(0, 4), quiet(600)]);
    const stricter = { ...DEFAULT_POLICY, detector: { ...DEFAULT_POLICY.detector, missesToSuspect: 2 } };
    const events = [endedRun('gw-1', { requestedAt: 305, policyVersion: 1 })];
    const { summary, incidents } = simulatePolicy({ candidate: stricter, policies: new Map([[1, DEFAULT_POLICY]]), observations, events, window: { fromMs: 0, untilMs: 1_000 }, fleet: ['gw-1', 'gw-2', 'gw-3'] });
    const lines = formatSimulation(summary, incidents).split('\n');
    expect(lines[0]).toMatch(/^onset \(UTC\)\s+gateway\s+signals\s+in force\s+what the run did\s+candidate\s+difference$/);
    expect(lines[2]).toMatch(/^1970-01-01 00:00:00\s+gw-1\s+L2-suspect:silent-hang\s+degrade \+200 ms\s+quarantine\+migrate healed\s+degrade \+100 ms\s+earlier$/);
    expect(lines).toContain('runs recorded: 1 in incidents, 0 outside; 0 incident(s) with a run not recorded');
    expect(lines).toContain('replay of the policy in force: 6 of 6 recorded decisions reproduced, 1 of 1 runs the detector started');
  });
});

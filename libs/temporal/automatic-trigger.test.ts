import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { DEFAULT_POLICY, type GatewayStateRecord, type RecordedTrigger, type RemediationRequest, type StormState } from '#core';
import { AutomaticTrigger } from './automatic-trigger.js';

const REQUEST: RemediationRequest = { gatewayId: 'gw-1', trigger: 'lease-expired', reason: 'lease backstop', requestedAt: 1_000 };
const STORM: StormState = { sinceMs: Date.UTC(2026, 11, 1, 12), scope: 'zone:zone-a', suspects: ['gw-1', 'gw-2', 'gw-3'], lastSuspectAtMs: Date.UTC(2026, 11, 1, 12), reason: '3 of 5 in zone-a suspect' };

/** The trigger against in-memory stand-ins for Temporal and etcd: what it starts, delivers, records and logs. */
const setUp = ({ state, storm = null }: { state?: GatewayStateRecord; storm?: StormState | null } = {}) => {
  const started: RemediationRequest[] = [];
  const delivered: RemediationRequest[] = [];
  const recorded: RecordedTrigger[] = [];
  const logged: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
  const trigger = new AutomaticTrigger({
    runs: {
      start: async (request) => {
        started.push(request);
        return { workflowId: `remediate:${request.gatewayId}`, runId: 'run-1', joined: false };
      },
      deliver: async (request) => {
        delivered.push(request);
        return true;
      },
    },
    log,
    source: 'lease-watcher',
    startedEvent: 'remediation-started',
    gatewayState: async () => state,
    incidentSettings: async () => DEFAULT_POLICY.incident,
    storm: async () => storm,
    timeline: { record: async (event) => void recorded.push(event) },
  });
  return { trigger, started, delivered, recorded, logged };
};

describe(AutomaticTrigger.name, () => {
  it('should start a run for a serving gateway and record it in the timeline', async () => {
    const { trigger, started, recorded, logged } = setUp({ state: { state: 'serving', since: 0, by: 'agent' } });
    expect(await trigger.fire(REQUEST)).toMatchObject({ runId: 'run-1' });
    expect(started).toEqual([REQUEST]);
    expect(recorded).toEqual([expect.objectContaining({ kind: 'trigger', gatewayId: 'gw-1', source: 'lease-watcher', delivery: 'started', runId: 'run-1' })]);
    expect(logged).toEqual([expect.objectContaining({ event: 'remediation-started', gatewayId: 'gw-1' })]);
  });

  it('should deliver to the open run, and start none, for a gateway already quarantined', async () => {
    const { trigger, started, delivered, recorded, logged } = setUp({ state: { state: 'quarantined', since: 0, by: 'remediate:gw-1' } });
    expect(await trigger.fire(REQUEST)).toBeUndefined();
    expect(started).toEqual([]);
    expect(delivered).toEqual([REQUEST]);
    expect(recorded).toEqual([expect.objectContaining({ delivery: 'delivered', runId: null })]);
    expect(logged).toEqual([expect.objectContaining({ event: 'remediation-skipped', why: 'already quarantined by remediate:gw-1', deliveredToOpenRun: true })]);
  });

  it('should start no removal during a storm, and say which storm', async () => {
    const { trigger, started, delivered, logged } = setUp({ storm: STORM });
    expect(await trigger.fire(REQUEST, { findings: ['PodNotReady'] })).toBeUndefined();
    expect(started).toEqual([]);
    expect(delivered).toEqual([]);
    expect(logged).toEqual([
      expect.objectContaining({ event: 'remediation-skipped', storm: 'zone:zone-a', findings: ['PodNotReady'], why: `storm mode since 2026-12-01T12:00:00.000Z: 3 of 5 in zone-a suspect; automatic removals paused` }),
    ]);
  });

  it('should still let the open run hear a finding during a storm', async () => {
    const { trigger, delivered } = setUp({ state: { state: 'fenced', since: 0, by: 'remediate:gw-1' }, storm: STORM });
    expect(await trigger.absorbed(REQUEST)).toBe(true);
    expect(delivered).toEqual([REQUEST]);
  });
});

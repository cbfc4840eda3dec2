import { describe, expect, it } from '@jest/globals';
import { endedRun } from './test-fixtures.js';
import { MAX_RECORDED_RUN_ENTRIES, RecordedRunSchema, TimelineEventSchema, recordedTriggerOf } from './timeline-event.js';

describe('TimelineEventSchema', () => {
  it('should read back a run and a trigger as they are written', () => {
    const run = endedRun('gw-1', { requestedAt: 1_000 });
    const trigger = recordedTriggerOf({ gatewayId: 'gw-1', trigger: 'k8s', reason: 'pod not ready', requestedAt: 900 }, 'k8s:worker-0', { workflowId: 'remediate:gw-1', runId: 'r1', delivery: 'started' });
    expect(TimelineEventSchema.parse(JSON.parse(JSON.stringify(run)))).toEqual(run);
    expect(TimelineEventSchema.parse(JSON.parse(JSON.stringify(trigger)))).toEqual(trigger);
  });

  it('should refuse a record beyond its size limits or with fields it does not know', () => {
    const run = endedRun('gw-1', { requestedAt: 1_000 });
    const entry = run.triggers[0]!;
    expect(RecordedRunSchema.safeParse({ ...run, triggers: Array.from({ length: MAX_RECORDED_RUN_ENTRIES + 1 }, () => entry) }).success).toBe(false);
    expect(RecordedRunSchema.safeParse({ ...run, outcomeReason: 'x'.repeat(2_000) }).success).toBe(false);
    expect(RecordedRunSchema.safeParse({ ...run, sessions: ['client-1'] }).success).toBe(false);
    expect(TimelineEventSchema.safeParse({ ...run, kind: 'session' }).success).toBe(false);
  });
});

describe(recordedTriggerOf.name, () => {
  it('should clip a long reason to what the schema keeps', () => {
    const trigger = recordedTriggerOf({ gatewayId: 'gw-1', trigger: 'lease-expired', reason: 'y'.repeat(1_000), requestedAt: 1 }, 'lease-watcher', { workflowId: 'remediate:gw-1', runId: null, delivery: 'not-delivered' });
    expect(TimelineEventSchema.parse(trigger).kind).toBe('trigger');
    expect(trigger.reason).toHaveLength(256);
  });
});

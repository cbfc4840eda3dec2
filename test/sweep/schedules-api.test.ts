import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3, type Lease } from 'etcd3';
import { type HealthSweepReport } from '#core';
import { type HomeostatProcess, type RunningApi, type Stack, startApiProcess, startApp, startStack, waitUntil } from '#devstack';
import { connectEtcd } from '#etcd';
import { HOMEOSTAT_TASK_QUEUE, TriggerAttribute } from '#temporal';
import { syntheticVitals, writeSyntheticGateways } from '../../apps/bench/synthetic-fleet.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { call } from '../support/http.js';

// Long enough that no scheduled sweep fires during the test: every run here is triggered.
const WORKER_EVERY_SECONDS = 3_600;

describe('sweep schedules API', () => {
  let stack: Stack;
  let worker: HomeostatProcess;
  let base: RunningApi;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let etcd: Etcd3;
  let lease: Lease | undefined;

  const listed = async (): Promise<{ id: string; [field: string]: unknown }[]> => (await call(base, 'GET', '/v1/schedules')).body.schedules;

  beforeAll(async () => {
    stack = await startStack({ useExisting: false });
    worker = await startApp('worker', {
      name: 'worker',
      env: { ...stack.env, WATCH_LEASES: 'false', SWEEP_EVERY_SECONDS: String(WORKER_EVERY_SECONDS) },
    });
    base = await startApiProcess({ env: stack.env });
    temporal = await connectTemporalClient(stack);
    etcd = connectEtcd(stack.etcd.endpoints);
  });

  afterAll(async () => {
    await lease?.revoke().catch(() => undefined);
    etcd?.close();
    await temporal?.close();
    await Promise.all([base?.app.process.stop(), worker?.process.stop()]);
    await stack?.stop();
  });

  it('should show the default sweep schedule the worker created at start', async () => {
    const schedules = await waitUntil('the default schedule to be listed', async () => {
      const all = await listed();
      return all.some((s) => s.id === 'health-sweep') ? all : undefined;
    });
    expect(schedules).toEqual([
      expect.objectContaining({ id: 'health-sweep', everySeconds: WORKER_EVERY_SECONDS, paused: false, workflowIdPrefix: 'sweep:health-sweep' }),
    ]);
    expect(Date.parse(String(schedules[0]?.nextRunAt))).toBeGreaterThan(Date.now());
  });

  it('should create a schedule, update it when created again, pause, unpause and delete it', async () => {
    const created = await call(base, 'POST', '/v1/schedules', { id: 'nightly', everySeconds: 120, paused: true });
    expect(created).toMatchObject({ status: 201, body: { created: true, schedule: { id: 'nightly', everySeconds: 120, paused: true, nextRunAt: null } } });

    // Creating again is not an error: the schedule is brought to the new interval, and its pause is kept.
    const again = await call(base, 'POST', '/v1/schedules', { id: 'nightly', everySeconds: 60 });
    expect(again).toMatchObject({ status: 200, body: { created: false, schedule: { id: 'nightly', everySeconds: 60, paused: true } } });
    await waitUntil('nightly to be listed', async () => (await listed()).some((s) => s.id === 'nightly'));

    const unpaused = await call(base, 'POST', '/v1/schedules/nightly/unpause');
    expect(unpaused).toMatchObject({ status: 200, body: { schedule: { id: 'nightly', paused: false } } });
    expect(Date.parse(unpaused.body.schedule.nextRunAt)).toBeGreaterThan(Date.now());
    expect(await call(base, 'POST', '/v1/schedules/nightly/pause')).toMatchObject({ status: 200, body: { schedule: { paused: true } } });

    expect(await call(base, 'DELETE', '/v1/schedules/nightly')).toMatchObject({ status: 200, body: { id: 'nightly', deleted: true } });
    expect((await call(base, 'POST', '/v1/schedules/nightly/pause')).status).toBe(404);
    await waitUntil('nightly to leave the list', async () => !(await listed()).some((s) => s.id === 'nightly'));
  });

  it('should run a sweep when a schedule is triggered, which remediates a gateway whose vitals went stale', async () => {
    lease = await writeSyntheticGateways(etcd, [{ id: 'syn-silent', vitals: syntheticVitals('syn-silent', Date.now() - 10 * 60_000) }]);
    expect(await call(base, 'POST', '/v1/schedules/health-sweep/trigger')).toMatchObject({ status: 202, body: { id: 'health-sweep', triggered: true } });

    const run = await waitUntil('the triggered sweep to be recorded', async () => {
      const schedule = (await listed()).find((s) => s.id === 'health-sweep') as { recentRuns: { workflowId: string; runId: string }[] } | undefined;
      return schedule?.recentRuns[0];
    });
    expect(run.workflowId).toMatch(/^sweep:health-sweep-/);
    const report: HealthSweepReport = await temporal.client.workflow.getHandle(run.workflowId, run.runId).result();
    expect(report.unhealthy).toEqual([expect.objectContaining({ gatewayId: 'syn-silent', remediation: 'started', signals: expect.arrayContaining(['heartbeat-lost']) })]);
    const remediation = await temporal.client.workflow.getHandle('remediate:syn-silent').describe();
    expect(remediation.typedSearchAttributes.get(TriggerAttribute)).toBe('sweep');
  });

  it.each([
    ['a missing everySeconds', {}, 'everySeconds'],
    ['everySeconds of 0', { everySeconds: 0 }, 'everySeconds'],
    ['a fractional everySeconds', { everySeconds: 1.5 }, 'everySeconds'],
    ['everySeconds as a string', { everySeconds: '30' }, 'everySeconds'],
    ['a malformed id', { id: 'Nightly/1', everySeconds: 30 }, 'id'],
    ['paused that is not a boolean', { everySeconds: 30, paused: 'yes' }, 'paused'],
    ['an unknown field', { everySeconds: 30, cron: '* * * * *' }, 'cron'],
  ])('should answer 400 naming the field for %s', async (_case, body, field) => {
    const response = await call(base, 'POST', '/v1/schedules', body);
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain(field);
  });

  it('should answer 400 for a body that is not JSON', async () => {
    expect((await call(base, 'POST', '/v1/schedules', undefined, '{"everySeconds": ')).status).toBe(400);
  });

  it.each([
    ['POST', '/v1/schedules/nope/pause'],
    ['POST', '/v1/schedules/nope/unpause'],
    ['POST', '/v1/schedules/nope/trigger'],
    ['DELETE', '/v1/schedules/nope'],
  ])('should answer 404 for %s %s on an unknown schedule', async (method, path) => {
    expect(await call(base, method, path)).toMatchObject({ status: 404, body: { status: 404, detail: 'no sweep schedule with id nope' } });
  });

  it('should neither show nor touch a schedule that starts something else, and refuse its id with 409', async () => {
    await temporal.client.schedule.create({
      scheduleId: 'other-job',
      spec: { intervals: [{ every: '1 hour' }] },
      action: { type: 'startWorkflow', workflowType: 'someOtherWorkflow', taskQueue: HOMEOSTAT_TASK_QUEUE, workflowId: 'other-job' },
      state: { paused: true },
    });
    expect((await call(base, 'POST', '/v1/schedules/other-job/pause')).status).toBe(404);
    expect(await call(base, 'POST', '/v1/schedules', { id: 'other-job', everySeconds: 30 })).toMatchObject({
      status: 409,
      body: { detail: 'schedule other-job exists and starts someOtherWorkflow, not healthSweep' },
    });
    expect((await listed()).map((s) => s.id)).not.toContain('other-job');
    await temporal.client.schedule.getHandle('other-job').delete();
  });
});

describe('worker sweep settings', () => {
  it('should refuse to start with a bad SWEEP_EVERY_SECONDS or SWEEP_SCHEDULE, naming each', async () => {
    const failure = await startApp('worker', {
      name: 'worker with bad settings',
      env: { ETCD_ENDPOINTS: 'http://127.0.0.1:1', SWEEP_EVERY_SECONDS: 'often', SWEEP_SCHEDULE: 'sometimes' },
      readyTimeoutMs: 20_000,
    }).then(
      async (started) => {
        await started.process.stop();
        return 'the worker started';
      },
      (error: unknown) => String(error),
    );
    expect(failure).toContain('exited (code 2');
    expect(failure).toContain('SWEEP_EVERY_SECONDS');
    expect(failure).toContain('SWEEP_SCHEDULE');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type PushClient } from '#client';
import { Fleet, type RunningApi, waitUntil } from '#devstack';
import { GatewayStateStore, connectEtcd } from '#etcd';
import { connectClients, totals } from './support/clients.js';
import { call } from './support/http.js';

describe('remediations API', () => {
  let fleet: Fleet;
  let api: RunningApi;
  let clients: PushClient[];
  const runIds: Record<string, string> = {};

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, api: true, useExisting: false });
    api = fleet.api!;
    clients = await connectClients(20, fleet.gatewayAddresses, ['ticker'], 'api-client');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await fleet?.stop();
  });

  it('should start a run on Temporal that quarantines the gateway in etcd and moves its live sessions', async () => {
    expect(clients.every((c) => c.gatewayId === 'gw-1')).toBe(true);
    const started = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'operator request' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ workflowId: 'remediate:gw-1', joined: false });
    expect(started.body.links.temporalUi).toBe(
      `${fleet.stack.temporal.uiUrl}/namespaces/default/workflows/remediate%3Agw-1/${started.body.runId}/history`,
    );

    const run = await waitUntil('run completed', async () => {
      const { body } = await call(api, 'GET', '/v1/remediations/remediate:gw-1');
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(run.report).toMatchObject({ gatewayId: 'gw-1', trigger: 'api', reason: 'operator request', outcome: 'healed' });
    expect(run.report.migration).toMatchObject({ sessions: 20, moved: 20, remaining: 0, targets: ['gw-2', 'gw-3'] });
    expect(run.report.migration.interruptionMs.p99).toEqual(expect.any(Number));
    expect(run.links.temporalUi).toContain(run.runId);
    runIds.healed = run.runId;

    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    expect(await new GatewayStateStore(etcd).get('gw-1')).toMatchObject({ state: 'quarantined', by: 'remediate:gw-1' });
    etcd.close();

    expect(clients.every((c) => c.gatewayId === 'gw-2' || c.gatewayId === 'gw-3')).toBe(true);
    const before = totals(clients).received;
    await waitUntil('messages flowing on gw-2 and gw-3', async () => totals(clients).received > before + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });

  it('should join the open run when the same gateway is triggered again', async () => {
    // With the worker stopped the run stays open, so the second trigger must find it.
    await fleet.worker!.process.stop();
    // Dry runs: a real quarantine of gw-2 would (rightly) be refused by the blast radius after gw-1's.
    const first = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-2', reason: 'first', dryRun: true });
    const second = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-2', reason: 'second', dryRun: true });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ workflowId: 'remediate:gw-2', runId: first.body.runId, joined: true });

    await fleet.startWorker();
    const run = await waitUntil('joined run completed', async () => {
      const { body } = await call(api, 'GET', '/v1/remediations/remediate:gw-2');
      return body.status === 'COMPLETED' ? body : undefined;
    });
    expect(run.report).toMatchObject({ reason: 'first', outcome: 'dry-run' });
  });

  it('should list runs newest first with their Temporal UI links', async () => {
    const { status, body } = await call(api, 'GET', '/v1/remediations');
    expect(status).toBe(200);
    const ids = body.runs.map((r: { workflowId: string }) => r.workflowId);
    expect(ids).toEqual(['remediate:gw-2', 'remediate:gw-1']);
    expect(body.runs[0]).toMatchObject({ gatewayId: 'gw-2', status: 'COMPLETED', outcome: 'dry-run', trigger: 'api', action: 'quarantine+migrate' });
    expect(body.runs[1]).toMatchObject({ gatewayId: 'gw-1', outcome: 'healed' });
    expect(body.runs.every((r: { links: { temporalUi: string } }) => r.links.temporalUi.startsWith(fleet.stack.temporal.uiUrl))).toBe(true);
  });

  it('should filter runs by gateway and outcome and page through them with a token', async () => {
    const byGateway = await call(api, 'GET', '/v1/remediations?gatewayId=gw-1');
    expect(byGateway.body.runs.map((r: { workflowId: string }) => r.workflowId)).toEqual(['remediate:gw-1']);
    const byTrigger = await call(api, 'GET', '/v1/remediations?trigger=api');
    expect(byTrigger).toMatchObject({ status: 200, body: { runs: [{ workflowId: 'remediate:gw-2' }, { workflowId: 'remediate:gw-1' }] } });
    expect((await call(api, 'GET', '/v1/remediations?trigger=detector')).body.runs).toEqual([]);
    const dryRuns = await call(api, 'GET', '/v1/remediations?outcome=dry-run');
    expect(dryRuns.body.runs.map((r: { gatewayId: string }) => r.gatewayId)).toEqual(['gw-2']);
    const future = await call(api, 'GET', `/v1/remediations?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.runs).toEqual([]);

    const first = await call(api, 'GET', '/v1/remediations?pageSize=1');
    expect(first.body.runs).toHaveLength(1);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const second = await call(api, 'GET', `/v1/remediations?pageSize=1&pageToken=${first.body.nextPageToken}`);
    expect(second.body.runs.map((r: { workflowId: string }) => r.workflowId)).toEqual(['remediate:gw-1']);
  });

  it('should answer 400 for a filter that is not one', async () => {
    const response = await call(api, 'GET', '/v1/remediations?outcome=fine&pageSize=0');
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain('outcome');
    expect(response.body.detail).toContain('pageSize');
  });

  it('should answer 409 to approve, reject or cancel a run that has ended, and 404 for one that never was', async () => {
    for (const verb of ['approve', 'reject']) {
      expect((await call(api, 'POST', `/v1/remediations/remediate:gw-1/${verb}`, { comment: 'late' })).status).toBe(409);
    }
    expect((await call(api, 'POST', '/v1/remediations/remediate:gw-1/cancel')).status).toBe(409);
    expect((await call(api, 'POST', '/v1/remediations/remediate:nope/approve', {})).status).toBe(404);
  });

  it('should cancel an open run, which records why it stopped', async () => {
    await fleet.worker!.process.stop();
    const started = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-3', reason: 'to be cancelled', dryRun: true });
    expect((await call(api, 'POST', `/v1/remediations/${started.body.workflowId}/cancel`)).status).toBe(202);
    await fleet.startWorker();
    const run = await waitUntil('cancelled run closed', async () => {
      const { body } = await call(api, 'GET', `/v1/remediations/${started.body.workflowId}`);
      return body.status === 'CANCELLED' ? body : undefined;
    });
    expect(run.report.outcome).toBe('cancelled');
    runIds.cancelled = run.runId;
  });

  it.each([
    ['a missing gatewayId', { reason: 'x' }, 'gatewayId'],
    ['a malformed gatewayId', { gatewayId: 'GW/1', reason: 'x' }, 'gatewayId'],
    ['an empty reason', { gatewayId: 'gw-1', reason: '' }, 'reason'],
    ['an unknown field', { gatewayId: 'gw-1', reason: 'x', force: true }, 'force'],
  ])('should answer 400 naming the field for %s', async (_case, body, field) => {
    const response = await call(api, 'POST', '/v1/remediations', body);
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain(field);
  });

  it('should answer 400 for a body that is not JSON', async () => {
    const response = await call(api, 'POST', '/v1/remediations', undefined, '{"gatewayId": ');
    expect(response.status).toBe(400);
  });

  it('should answer 404 for a gateway Homeostat has never seen, and start nothing', async () => {
    const response = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-404', reason: 'x' });
    expect(response).toMatchObject({ status: 404, body: { status: 404, detail: 'gateway gw-404 is not registered and has no recorded state' } });
    expect((await call(api, 'GET', '/v1/remediations/remediate:gw-404')).status).toBe(404);
  });

  it('should answer 404 for an unknown run', async () => {
    const response = await call(api, 'GET', '/v1/remediations/remediate:nope');
    expect(response).toMatchObject({ status: 404, body: { status: 404, detail: 'no remediation run with workflow id remediate:nope' } });
  });

  it('should list every run of a workflow id newest first and read each by run id', async () => {
    const again = await call(api, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'second look', dryRun: true });
    expect(again.status).toBe(201);
    await waitUntil('second run of gw-1 completed', async () => {
      const { body } = await call(api, 'GET', `/v1/remediations/remediate:gw-1/runs/${again.body.runId}`);
      return body.status === 'COMPLETED';
    });

    const runs = await call(api, 'GET', '/v1/remediations/remediate:gw-1/runs');
    expect(runs.status).toBe(200);
    expect(runs.body.runs.map((r: { runId: string }) => r.runId)).toEqual([again.body.runId, runIds.healed]);
    expect(runs.body.runs[1].links.temporalUi).toContain(runIds.healed);

    const first = await call(api, 'GET', `/v1/remediations/remediate:gw-1/runs/${runIds.healed}`);
    expect(first.body).toMatchObject({ workflowId: 'remediate:gw-1', runId: runIds.healed, status: 'COMPLETED', reportSource: 'result', report: { reason: 'operator request', outcome: 'healed' } });
    const second = await call(api, 'GET', `/v1/remediations/remediate:gw-1/runs/${again.body.runId}`);
    expect(second.body).toMatchObject({ runId: again.body.runId, report: { reason: 'second look', dryRun: true } });
    expect((await call(api, 'GET', '/v1/remediations/remediate:gw-1')).body.runId).toBe(again.body.runId);
    expect((await call(api, 'GET', `/v1/remediations/remediate:gw-2/runs/${runIds.healed}`)).status).toBe(404);
  });

  it('should read a closed run without a worker: a completed one from its result, another from visibility, saying so', async () => {
    await fleet.worker!.process.stop();
    try {
      const completed = await call(api, 'GET', `/v1/remediations/remediate:gw-1/runs/${runIds.healed}`);
      expect(completed.body).toMatchObject({ status: 'COMPLETED', reportSource: 'result', report: { outcome: 'healed' } });
      const cancelled = await call(api, 'GET', `/v1/remediations/remediate:gw-3/runs/${runIds.cancelled}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'CANCELLED', reportSource: 'none', reportUnavailable: expect.stringContaining('no worker answered') });
      expect(cancelled.body.report).toBeUndefined();
      expect(Date.parse(cancelled.body.closeTime)).toBeGreaterThan(Date.parse(cancelled.body.startTime));
    } finally {
      await fleet.startWorker();
    }
    const answered = await call(api, 'GET', `/v1/remediations/remediate:gw-3/runs/${runIds.cancelled}`);
    expect(answered.body).toMatchObject({ status: 'CANCELLED', reportSource: 'query', report: { outcome: 'cancelled' } });
  });
});

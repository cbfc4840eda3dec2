import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '#core';
import { API_TEST_IDENTITIES, Fleet, type RunningApi, waitUntil } from '#devstack';
import { as, call } from '../support/http.js';

describe('approvals through the API are made by the caller', () => {
  let fleet: Fleet;
  let api: RunningApi;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, api: true, useExisting: false });
    api = fleet.api!;
    const policy = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Record<string, Record<string, unknown>>;
    delete (policy as Record<string, unknown>).version;
    policy.guardrails!.approval = { requiredFrom: 'quarantine', timeoutMs: 60_000, onTimeout: 'reject', fourEyes: true };
    expect((await call(api, 'PUT', '/v1/policies', policy)).status).toBe(200);
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('should refuse the starter approving their own run (four-eyes) and record the other approver', async () => {
    const operator = as(api, api.tokenFor('operator'));
    const started = await call(operator, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'four-eyes through the API' });
    expect(started.status).toBe(201);
    await waitUntil('the run waiting for approval', async () => (await call(api, 'GET', '/v1/remediations/remediate:gw-1')).body.report?.outcome === 'awaiting-approval');

    const own = await call(operator, 'POST', '/v1/remediations/remediate:gw-1/approve', { comment: 'mine' });
    expect(own.status).toBe(409);
    expect(own.body.detail).toContain(`four-eyes: ${API_TEST_IDENTITIES.operator} started this run`);

    expect((await call(api, 'POST', '/v1/remediations/remediate:gw-1/approve', { comment: 'second pair of eyes' })).status).toBe(202);
    const run = await waitUntil('the run finished', async () => {
      const { body } = await call(api, 'GET', '/v1/remediations/remediate:gw-1');
      return body.status === 'COMPLETED' ? body : undefined;
    });
    // The report names who asked for the run and who approved it: identities, never body fields.
    expect(run.report.requestedBy).toBe(API_TEST_IDENTITIES.operator);
    expect(run.report.guardrails.filter((g: { name: string }) => g.name === 'approval')).toEqual([
      expect.objectContaining({ allowed: true, detail: `approved by ${API_TEST_IDENTITIES.admin}: second pair of eyes` }),
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { AuditRecordSchema, DEFAULT_POLICY, DETECTOR_SHADOW_FLAG } from '#core';
import { API_TEST_IDENTITIES, Fleet, type RunningApi, waitUntil } from '#devstack';
import { AUDIT_PREFIX, RemediationHistory, connectEtcd, policyChangeKey } from '#etcd';
import { as, call } from '../support/http.js';

type Json = Record<string, unknown>;

const aPolicy = (name: string): Json => {
  const policy = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Json;
  delete policy.version;
  return { ...policy, name };
};

describe('who changed what: identities recorded with every change', () => {
  let fleet: Fleet;
  let api: RunningApi;
  let etcd: Etcd3;
  /** The audit trail as etcd holds it, oldest first. */
  const auditInEtcd = async () =>
    Object.entries(await etcd.getAll().prefix(AUDIT_PREFIX).strings())
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, raw]) => AuditRecordSchema.parse(JSON.parse(raw)));

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: true, api: true, useExisting: false });
    api = fleet.api!;
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
  });

  afterAll(async () => {
    etcd?.close();
    await fleet?.stop();
  });

  it('should record the publishing caller with the policy version and in the audit trail', async () => {
    const put = await call(api, 'PUT', '/v1/policies', aPolicy('audited'));
    expect(put.status).toBe(200);
    const { version } = put.body as { version: number };
    const author = { by: API_TEST_IDENTITIES.admin, role: 'admin', source: 'token-file' };
    expect(put.body.publishedBy).toMatchObject(author);

    expect((await call(api, 'GET', '/v1/policies')).body).toMatchObject({ version, source: 'stored', publishedBy: author });
    expect(JSON.parse((await etcd.get(policyChangeKey(version)).string())!)).toMatchObject(author);
    const audit = await call(as(api, api.tokenFor('viewer')), 'GET', '/v1/audit');
    expect(audit.status).toBe(200);
    expect(audit.body.changes[0]).toMatchObject({ ...author, action: 'policy.publish', target: `policy/${version}`, detail: { version, name: 'audited' } });
  });

  it('should record who flipped a flag, and what it was before, from the token and never the body', async () => {
    const before = (await auditInEtcd()).length;
    const admin = api;
    const on = await call(admin, 'PUT', `/v1/flags/${DETECTOR_SHADOW_FLAG}`, { enabled: true, reason: 'maintenance' });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ name: DETECTOR_SHADOW_FLAG, enabled: true, updatedBy: API_TEST_IDENTITIES.admin });
    expect((await call(admin, 'PUT', `/v1/flags/${DETECTOR_SHADOW_FLAG}`, { enabled: false })).status).toBe(200);
    expect((await call(admin, 'GET', `/v1/flags/${DETECTOR_SHADOW_FLAG}`)).body).toMatchObject({ enabled: false, updatedBy: API_TEST_IDENTITIES.admin });

    // A name in the body is refused, and neither it nor a refused caller leaves a record.
    const claimed = await call(admin, 'PUT', `/v1/flags/${DETECTOR_SHADOW_FLAG}`, { enabled: true, by: 'mallory' });
    expect(claimed.status).toBe(400);
    expect((await call(as(api, api.tokenFor('viewer')), 'PUT', `/v1/flags/${DETECTOR_SHADOW_FLAG}`, { enabled: true })).status).toBe(403);

    const flagChanges = (await auditInEtcd()).slice(before);
    expect(flagChanges).toEqual([
      expect.objectContaining({ by: API_TEST_IDENTITIES.admin, action: 'flag.set', target: `flag/${DETECTOR_SHADOW_FLAG}`, detail: { enabled: true, previous: null, reason: 'maintenance' } }),
      expect.objectContaining({ by: API_TEST_IDENTITIES.admin, action: 'flag.set', target: `flag/${DETECTOR_SHADOW_FLAG}`, detail: { enabled: false, previous: true, reason: null } }),
    ]);
    // Newest first through the API.
    expect((await call(api, 'GET', '/v1/audit?limit=2')).body.changes.map((c: Json) => (c.detail as Json).enabled)).toEqual([false, true]);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'limit=1e9', 'unknown=1'])('should answer GET /v1/audit?%s with a 400 naming the parameter', async (query) => {
    const response = await call(api, 'GET', `/v1/audit?${query}`);
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
  });

  it('should name the caller who requested a run in the remediation ledger', async () => {
    const operator = as(api, api.tokenFor('operator'));
    const started = await call(operator, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'ledger names the requester' });
    expect(started.status).toBe(201);
    const history = new RemediationHistory(etcd);
    const entry = await waitUntil('the run reserved a slot in the ledger', async () => (await history.all()).find((r) => r.runId === started.body.runId));
    expect(entry).toMatchObject({ gatewayId: 'gw-1', workflowId: 'remediate:gw-1', requestedBy: API_TEST_IDENTITIES.operator });
  });
});

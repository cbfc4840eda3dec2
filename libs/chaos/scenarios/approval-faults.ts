import { type Policy } from '#core';
import { type RunningApi, waitUntil } from '#devstack';
import { CHAOS_POLICY } from '../chaos-policy.js';
import { type ChaosContext, type Scenario } from '../scenario.js';
import { onOneGateway, sigkill } from './fault-tools.js';

/** The chaos policy with an approval step before quarantine, long enough for the API to die and come back. */
const WITH_APPROVAL: Policy = {
  ...CHAOS_POLICY,
  name: 'chaos-with-approval',
  guardrails: { ...CHAOS_POLICY.guardrails, approval: { requiredFrom: 'quarantine', timeoutMs: 120_000, onTimeout: 'reject', fourEyes: false } },
};

/** The parts of the API's answers this scenario reads: a start's workflow id, a run's outcome. */
type Answer = { readonly workflowId?: string; readonly report?: { readonly outcome?: string } };

/** Calls the API as its operator; throws naming the answer unless it is `expected`. */
const asOperator = async (api: RunningApi, method: 'GET' | 'POST', path: string, expected: number, body?: unknown): Promise<Answer> => {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.tokenFor('operator')}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Answer;
};

const runningApi = (context: ChaosContext): RunningApi => {
  const api = context.fleet.api;
  if (!api?.app.process.running) throw new Error('this fleet runs no API');
  return api;
};

/**
 * An operator asks the API to quarantine and migrate a gateway; the run waits for approval;
 * the API process is SIGKILLed and started again; the approval goes through the new one.
 * The wait lives in the workflow, not in the API, so nothing is lost but the API's uptime.
 */
export const apiRestartDuringApproval: Scenario = {
  name: 'api-restart-during-approval',
  fault: 'SIGKILL the API while a remediation waits for approval; approve through the restarted API',
  expected: 'the run keeps waiting while the API is down; the approval through the restarted API is accepted and the run quarantines and migrates; every session is moved exactly once',
  profiles: ['full'],
  expectsRun: true,
  movesSessions: true,
  inject: onOneGateway(async (context, id) => {
    await context.policies.publish(WITH_APPROVAL);
    try {
      const started = await asOperator(runningApi(context), 'POST', '/v1/remediations', 201, { gatewayId: id, reason: 'chaos: approval across an API restart', actions: ['quarantine', 'migrate'] });
      const path = `/v1/remediations/${encodeURIComponent(String(started.workflowId))}`;
      await waitUntil(`${started.workflowId} waiting for approval`, async () => (await asOperator(runningApi(context), 'GET', path, 200)).report?.outcome === 'awaiting-approval', {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      await sigkill(context, 'api', runningApi(context).app.process);
      context.log(`API killed while ${started.workflowId} waits for approval`);
      await context.fleet.startApi();
      await asOperator(runningApi(context), 'POST', `${path}/approve`, 202, { comment: 'chaos: approved through the restarted API' });
    } finally {
      await context.policies.publish(CHAOS_POLICY);
    }
  }),
};

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { type PushClient } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { connectClients } from '../support/clients.js';
import { call } from '../support/http.js';
import { type ReceivedSpan, OtlpReceiver } from '../support/otlp-receiver.js';
import { waitForOutcome } from '../support/remediation-runs.js';

/** The spans of `spans` whose parent is `parent`, by name. */
const childrenOf = (spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] => spans.filter((s) => s.parentSpanId === parent.spanId);

const only = (spans: readonly ReceivedSpan[], name: string, service?: string): ReceivedSpan => {
  const found = spans.filter((s) => s.name === name && (service === undefined || s.service === service));
  if (found.length !== 1) throw new Error(`expected one span ${name}${service ? ` from ${service}` : ''}, found ${found.length} among ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`);
  return found[0]!;
};

describe('tracing', () => {
  const saved = { ...process.env };
  let receiver: OtlpReceiver;
  let fleet: Fleet;
  let clients: PushClient[];
  let connection: Connection;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    // Every process of the fleet inherits these: the standard OTLP settings, flushed quickly.
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
    fleet = await Fleet.start({ gateways: 3, worker: true, api: true, useExisting: false });
    clients = await connectClients(6, fleet.gatewayAddresses, ['ticker'], 'trace-client');
    connection = await Connection.connect({ address: fleet.stack.temporal.address });
  });

  afterAll(async () => {
    process.env = saved;
    clients?.forEach((c) => c.stop());
    await connection?.close();
    await fleet?.stop();
    await receiver?.stop();
  });

  it('should follow one remediation from the REST call through the workflow, its activities and the gateway control calls', async () => {
    // The caller's own span: the API continues its trace.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const started = await call(fleet.api!, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'trace test' }, undefined, {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    expect(started.status).toBe(201);
    await waitForOutcome(new Client({ connection, namespace: fleet.stack.temporal.namespace }), 'gw-1', ['healed']);

    // Each process exports on its own schedule, and a run's span only when the run is over: wait for the last ones.
    const spans = await waitUntil('the spans of the run and of its last batch exported', async () => {
      const trace = receiver.trace(traceId);
      const has = (name: string, service?: string) => trace.some((s) => s.name === name && (service === undefined || s.service === service));
      return has('control POST /control/migrate', 'homeostat-gateway') && has('RunWorkflow:migrateSessions') && has('RunWorkflow:remediateGateway') ? trace : undefined;
    });

    const request = only(spans, 'HTTP POST /v1/remediations', 'homeostat-api');
    expect(request.parentSpanId).toBe(callerSpanId);
    const start = only(childrenOf(spans, request), 'SignalWithStartWorkflow:remediateGateway');
    const run = only(childrenOf(spans, start), 'RunWorkflow:remediateGateway', 'homeostat-worker');

    // The quarantine activity, scheduled by the run, calls the gateway, which continues the trace.
    const scheduled = only(spans, 'StartActivity:quarantineGateway');
    expect(scheduled.parentSpanId).toBe(run.spanId);
    const activity = only(childrenOf(spans, scheduled), 'RunActivity:quarantineGateway');
    const controlCall = only(childrenOf(spans, activity), 'control POST /control/quarantine', 'homeostat-worker');
    only(childrenOf(spans, controlCall), 'control POST /control/quarantine', 'homeostat-gateway');

    // Migration: the child workflow, its batch activities and the gateway's side of each batch.
    const child = only(spans, 'StartChildWorkflow:migrateSessions');
    expect(child.parentSpanId).toBe(run.spanId);
    const childRun = only(childrenOf(spans, child), 'RunWorkflow:migrateSessions');
    const batches = spans.filter((s) => s.name === 'RunActivity:migrateBatch');
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      const startBatch = spans.find((s) => s.spanId === batch.parentSpanId);
      expect(startBatch?.parentSpanId).toBe(childRun.spanId);
      expect(childrenOf(spans, batch).map((s) => s.name)).toContain('control POST /control/migrate');
    }
    // Every control call the worker made was answered inside the same trace by the gateway.
    for (const control of spans.filter((s) => s.service === 'homeostat-worker' && s.name.startsWith('control '))) {
      only(childrenOf(spans, control), control.name, 'homeostat-gateway');
    }

    // One tree: every span but the API's hangs off another span of the same trace.
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.filter((s) => !ids.has(s.parentSpanId ?? '')).map((s) => s.name)).toEqual(['HTTP POST /v1/remediations']);
  });
});

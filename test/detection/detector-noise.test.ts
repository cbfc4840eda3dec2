import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Fleet } from '#devstack';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess, type LogLine } from './support/detector-process.js';
import { hasRemediation, waitForRemediation } from './support/remediation-runs.js';

/** Long enough for the baseline to be learned and then lived with; ~25 s keeps the suite bearable. */
const NOISY_RUN_MS = 25_000;
const NOISE_PRELOAD = resolve('test/detection/support/noisy-gateway.mjs');

describe('detector on a noisy but healthy gateway', () => {
  let fleet: Fleet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let detector: DetectorProcess;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false, messagesPerSecond: 50 });
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    temporal = await connectTemporalClient(fleet.stack);
    detector = await DetectorProcess.start(fleet, 'det-noise');
  });

  afterAll(async () => {
    await detector?.stop();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should not flag a gateway under jittery latency and GC pressure over a sustained run, yet flag it when it dies', async () => {
    const noisy = await fleet.startGateway('noisy-1', { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${NOISE_PRELOAD}`.trim() });
    const noise: LogLine[] = [];
    noisy.app.process.onOutputLine((line) => {
      if (line.includes('"event":"noise"')) noise.push(JSON.parse(line) as LogLine);
    });
    await detector.waitForEvent('answering', 'noisy-1');
    await sleep(NOISY_RUN_MS);

    // The noise was real: collections and stalls happened in the gateway while it was watched.
    const made = noise.at(-1);
    expect(made?.gcCount).toEqual(expect.any(Number));
    expect(made?.gcCount as number).toBeGreaterThan(0);
    expect(made?.stalls as number).toBeGreaterThan(0);
    // The detector was answered all along and saw the jitter in the round trips.
    const summaries = detector.events('probe-summary', 'noisy-1');
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.at(-1)?.pongs as number).toBeGreaterThan(0);
    expect(Math.max(...summaries.map((s) => s.rttMaxMs as number))).toBeGreaterThan(Math.min(...summaries.map((s) => s.rttMedianMs as number)));
    // Nothing was flagged: no detection of any kind, no alarm, no run.
    expect(detector.events('detection', 'noisy-1')).toEqual([]);
    expect(detector.events('health-alarm', 'noisy-1')).toEqual([]);
    expect(await hasRemediation(temporal.client, 'noisy-1')).toBe(false);

    // The same detector, watching the same noisy gateway, does flag it when it really fails.
    await fleet.killGateway('noisy-1');
    const run = await waitForRemediation(temporal.client, 'noisy-1');
    expect(run.evidence).toMatchObject({ classification: 'crash', response: 'remediate' });
  });
});

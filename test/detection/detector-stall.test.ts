import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '#core';
import { Fleet } from '#devstack';
import { sample, scrape } from '../support/prometheus.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from './support/detector-process.js';
import { hasRemediation, waitForRemediation } from './support/remediation-runs.js';

const GATEWAYS = ['calm-1', 'calm-2', 'calm-3'];
/** Past the availability tier's minimum observation, so a detector that counted its own stalls would judge. */
const STARVED_RUN_MS = DEFAULT_POLICY.detector.availability.minObservedMs + 6_000;
const NOISE_PRELOAD = resolve('test/detection/support/noisy-gateway.mjs');

/**
 * The detector's own loop stands still now and then (busy-waits of up to 450 ms, every 600 ms
 * on average: a starved node, a long GC, a big synchronous parse), at moments unrelated to its
 * pings. Those pauses are the detector's: no gateway may be charged a miss, a finding or a run
 * for them, and the detector says how long it stood still (log and metric). The exact
 * accounting (a pong read late because of a pause is in time) is proven in OwnStalls' and the
 * probe tiers' unit tests; here it is the whole process on real sockets.
 */
describe('a detector whose own loop stalls', () => {
  let fleet: Fleet;
  let detector: DetectorProcess;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: true, useExisting: false });
    temporal = await connectTemporalClient(fleet.stack);
    detector = await DetectorProcess.start(fleet, 'det-stalling', {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${NOISE_PRELOAD}`.trim(),
      NOISE_ALLOC_MB_PER_SEC: '0',
      NOISE_MAX_STALL_MS: '450',
      NOISE_MEAN_STALL_GAP_MS: '600',
    });
    for (const id of GATEWAYS) {
      await fleet.startGateway(id);
      await detector.waitForEvent('answering', id);
    }
  });

  afterAll(async () => {
    await detector?.stop();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should not hold its own pauses against its gateways, yet still see a real crash', async () => {
    await sleep(STARVED_RUN_MS);

    // The pauses were real, and the detector knew them for its own.
    const noise = detector.events('noise').at(-1);
    expect(noise?.stalls as number).toBeGreaterThan(10);
    expect(noise?.stallMsMax as number).toBeGreaterThan(DEFAULT_POLICY.detector.pongTimeoutMs);
    expect(detector.events('detector-stalled').length).toBeGreaterThan(0);
    const metrics = await scrape(`${detector.app.ready.opsUrl as string}/metrics`);
    expect(sample(metrics, 'homeostat_detector_loop_stalled_seconds_total')).toBeGreaterThan(1);
    // No gateway was charged for them: not a miss, not a finding, not a run.
    for (const id of GATEWAYS) {
      const summaries = detector.events('probe-summary', id);
      expect(summaries.length).toBeGreaterThan(0);
      expect(summaries.map((s) => s.misses)).toEqual(summaries.map(() => 0));
      expect(detector.events('detection', id)).toEqual([]);
      expect(await hasRemediation(temporal.client, id)).toBe(false);
    }

    await fleet.killGateway('calm-1');
    const run = await waitForRemediation(temporal.client, 'calm-1');
    expect(run.evidence).toMatchObject({ classification: 'crash', response: 'remediate', detectorId: 'det-stalling' });
  });
});

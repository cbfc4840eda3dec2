import { afterEach, describe, expect, it } from '@jest/globals';
import { waitUntil } from '#devstack';
import { Publisher } from '#push';
import { startHub } from './support/in-process-gateway.js';
import { RawSession } from './support/raw-session.js';

const stops: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A client that says it comes from `from`, as the SDK does after losing that gateway. */
const arriveFrom = async (address: string, sessionId: string, from: string): Promise<RawSession> => {
  const url = new URL(address);
  url.searchParams.set('from', from);
  const session = new RawSession(url.toString(), sessionId);
  stops.push(() => session.close(1000));
  await session.welcomed();
  return session;
};

describe('arrivals counted per incident', () => {
  it('should count only the sessions that came back from a gateway in this incident, not those that came from it earlier and stayed', async () => {
    const upstream = await Publisher.start({ topics: ['ticker'], messagesPerSecond: 10 });
    stops.push(() => upstream.stop());
    const gateway = await startHub(upstream.url, { gatewayId: 'gw-1' });
    stops.push(gateway.stop);

    // The first time gw-4 died, one of its clients came here and stayed.
    await arriveFrom(gateway.address, 'earlier', 'gw-4');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const secondIncident = Date.now();
    await arriveFrom(gateway.address, 'this-time', 'gw-4');

    await waitUntil('both sessions here', async () => gateway.hub.sessionCount === 2);
    expect(gateway.hub.arrivalsFrom('gw-4').count).toBe(2);
    expect(gateway.hub.arrivalsFrom('gw-4', { since: secondIncident, redirectsSince: secondIncident })).toMatchObject({ from: 'gw-4', count: 1 });
    expect(gateway.hub.arrivalsFrom('gw-4', { since: Date.now() + 1, redirectsSince: Date.now() + 1 }).count).toBe(0);
  });
});

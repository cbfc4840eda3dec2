import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PushClient } from '#client';
import { Fleet, PROJECT_STATE_DIR, killGatewayAndWatchHealing, waitUntil } from '#devstack';
import { temporalUiRunLink } from '#temporal';
import { formatEndpoints } from './endpoints.js';
import { runK8sDemo } from './k8s-demo.js';
import { formatTimeline } from './timeline.js';

const once = process.argv.includes('--once');
const CLIENTS = 120;

/** `npm run demo`: everything embedded, one gateway killed, the healing shown (`--k8s`: see k8s-demo.ts). */
const main = async (): Promise<void> => {
  const logDir = join(PROJECT_STATE_DIR, 'demo-logs');
  mkdirSync(logDir, { recursive: true });
  console.log('Starting Temporal, etcd, a publisher, 3 gateways, the detector, the worker and the API…');
  const fleet = await Fleet.start({
    gateways: 3,
    worker: true,
    api: false,
    detector: true,
    sweeps: true,
    logDir,
    // A file under .homeostat/ keeps earlier demo runs visible in the Temporal UI.
    temporalDbFile: join(PROJECT_STATE_DIR, 'temporal.sqlite'),
  });
  // The demo's own identities: a token file under .homeostat/, an admin and a viewer.
  const api = await fleet.startApi({}, { tokenFile: join(PROJECT_STATE_DIR, 'demo-tokens.json'), roles: ['admin', 'viewer'] });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  const addresses = fleet.gatewayAddresses;
  const clients = Array.from({ length: CLIENTS }, (_, i) => {
    // Rotate the gateway list so clients start spread over the fleet.
    const rotated = [...addresses.slice(i % addresses.length), ...addresses.slice(0, i % addresses.length)];
    return new PushClient({ sessionId: `demo-${i}`, gateways: rotated, topics: ['ticker'] });
  });
  clients.forEach((c) => c.start());
  await waitUntil(`${CLIENTS} clients receiving`, async () => clients.every((c) => c.connected && (c.ledgers.get('ticker')?.received ?? 0) > 0));

  console.log(`
${formatEndpoints(fleet, api)}

  logs in ${logDir} (JSON lines, one file per process as listed)
  export HOMEOSTAT_TOKEN=${api.tokenFor('admin')}
  curl -H "Authorization: Bearer $HOMEOSTAT_TOKEN" ${api.url}/v1/remediations
  (a viewer token, read-only: ${api.tokenFor('viewer')}; token file ${api.tokenFile})
  ${CLIENTS} clients connected: ${[...fleet.gateways.keys()].sort().map((id) => `${id} ${clients.filter((c) => c.gatewayId === id).length}`).join(', ')}
`);
  const timeline = await killGatewayAndWatchHealing(fleet, temporal, clients, 'gw-1');
  const link = temporalUiRunLink(fleet.stack.temporal.uiUrl, fleet.stack.temporal.namespace, timeline.workflowId, timeline.runId);
  console.log(formatTimeline(timeline, link));

  const stop = async (): Promise<void> => {
    clients.forEach((c) => c.stop());
    await connection.close();
    await fleet.stop();
  };
  if (once) {
    await stop();
    return;
  }
  console.log('\nEverything keeps running: open the Temporal UI, call the API. Ctrl-C stops it all.');
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
};

(process.argv.includes('--k8s') ? runK8sDemo(once) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

// Starts a throwaway Homeostat (Temporal, etcd, two gateways, the worker, the API)
// from the build, prints one JSON line {url, token, logDir} on stdout, and runs until
// stdin closes or SIGTERM. Used by scripts/schemathesis.sh.
import { Fleet } from '../dist/libs/devstack/index.js';

const fleet = await Fleet.start({ gateways: 2, worker: true, api: false, useExisting: false });
// The fuzzer checks what the API answers, not how fast Temporal is on a busy machine: a
// generous deadline keeps a slow visibility call from turning into a (correct, but here
// meaningless) 503. Unreachable dependencies are tested elsewhere (test/api-outages.test.ts).
const api = await fleet.startApi({ API_TEMPORAL_TIMEOUT_MS: '10000', API_ETCD_TIMEOUT_MS: '5000' });
process.stdout.write(`${JSON.stringify({ url: api.url, token: api.token, logDir: fleet.logDir })}\n`);
const stop = async () => {
  await fleet.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop).resume();

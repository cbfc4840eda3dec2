// Starts a throwaway Homeostat (Temporal, etcd, two gateways, the worker, the API)
// from the build, prints one JSON line {url, token} on stdout, and runs until
// stdin closes or SIGTERM. Used by scripts/schemathesis.sh.
import { Fleet } from '../dist/libs/devstack/index.js';

const fleet = await Fleet.start({ gateways: 2, worker: true, api: true, useExisting: false });
process.stdout.write(`${JSON.stringify({ url: fleet.api.url, token: fleet.api.token })}\n`);
const stop = async () => {
  await fleet.stop();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop).resume();

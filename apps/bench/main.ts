import { Client, Connection } from '@temporalio/client';
import { Fleet } from '#devstack';
import { benchKills, benchWorkflow } from './remediation-bench.js';
import { formatTable } from './report-table.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = Number(runsArg > 0 ? process.argv[runsArg + 1] : (process.env.BENCH_RUNS ?? 10));

/** `npm run bench`: measured figures, printed; nothing here asserts a speed. */
const main = async (): Promise<void> => {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs / BENCH_RUNS must be a positive whole number (got ${RUNS})`);
  const fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
  const connection = await Connection.connect({ address: fleet.stack.temporal.address });
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  try {
    console.log(`Homeostat bench: ${RUNS} runs per row, embedded Temporal + etcd, 3 serving gateways, lease TTL 1 s\n`);
    const rows = [...(await benchKills(fleet, temporal, RUNS)), ...(await benchWorkflow(fleet, temporal, RUNS))];
    console.log(formatTable(rows));
  } finally {
    await connection.close();
    await fleet.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);

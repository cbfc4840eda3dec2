import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Fleet } from '#devstack';
import { recordScenarios } from './scenarios.js';

const OUT = resolve('test/replay/histories');

/**
 * `npm run record-histories`: runs representative remediations on real
 * services and saves their event histories as replay fixtures. Re-record after
 * an intended, versioned change to a workflow; the replay test fails on any
 * unintended one.
 */
const main = async (): Promise<void> => {
  const fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
  const connection = await Connection.connect({ address: fleet.stack.temporal.address });
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  try {
    for (const run of await recordScenarios(fleet, temporal)) {
      const history = await temporal.workflow.getHandle(run.workflowId, run.runId || undefined).fetchHistory();
      const file = join(OUT, `${run.name}.json`);
      // Replay needs the real workflow id too: workflows derive child ids and batch keys from it.
      await writeFile(file, JSON.stringify({ workflowId: run.workflowId, history: JSON.parse(historyToJSON(history)) }));
      console.log(`${run.name}: ${history.events?.length ?? 0} events → ${file}`);
    }
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

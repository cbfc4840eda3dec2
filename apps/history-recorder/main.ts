import { createHash } from 'node:crypto';
import { appendFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Fleet } from '#devstack';
import { recordScenarios } from './scenarios.js';

const OUT = resolve('test/replay/histories');

/** Fixtures of each workflow version sit side by side: `<tag>-<scenario>.json`. */
const tagArgument = (): string => {
  const at = process.argv.indexOf('--tag');
  const tag = at === -1 ? undefined : process.argv[at + 1];
  if (!tag || !/^v\d+$/.test(tag)) throw new Error('record-histories needs --tag vN (the workflow version these runs exercise, e.g. --tag v2)');
  return tag;
};

/**
 * `npm run record-histories`: runs representative remediations on real
 * services and saves their event histories as new replay fixtures, tagged
 * with the workflow version they exercise. Existing fixtures are never
 * overwritten (scripts/check-replay-fixtures.sh fails CI if one changes): after
 * a versioned (`patched()`) change, record a new tag beside the old ones.
 */
const main = async (): Promise<void> => {
  const tag = tagArgument();
  const fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  try {
    for (const run of await recordScenarios(fleet, temporal)) {
      const history = await temporal.workflow.getHandle(run.workflowId, run.runId || undefined).fetchHistory();
      const name = `${tag}-${run.name}.json`;
      // Replay needs the real workflow id too: workflows derive child ids and batch keys from it.
      const content = JSON.stringify({ workflowId: run.workflowId, history: JSON.parse(historyToJSON(history)) });
      const file = join(OUT, name);
      await writeFile(file, content, { flag: 'wx' });
      await appendFile(join(OUT, 'SHA256SUMS'), `${createHash('sha256').update(content).digest('hex')}  ${name}\n`);
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

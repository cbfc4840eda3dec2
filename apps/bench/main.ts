import { Client, Connection } from '@temporalio/client';
import { DEFAULT_POLICY, type Policy } from '#core';
import { Fleet } from '#devstack';
import { PolicyStore } from '#etcd';
import { BenchRecorder } from './bench-json.js';
import { benchBudget } from './budget-bench.js';
import { benchStorm } from './storm-bench.js';
import { benchDetectorCapacity } from './detector-capacity-bench.js';
import { benchClientFaults } from './client-faults-bench.js';
import { benchDataPlane } from './data-plane-bench.js';
import { benchDetection } from './detection-bench.js';
import { benchFleetHa } from './fleet-ha-bench.js';
import { benchFaultToOutOfRotation, benchMigrationRates, benchTwoThousand } from './healing-bench.js';
import { benchK8s } from './k8s-bench.js';
import { benchKills, benchWorkflow } from './remediation-bench.js';
import { type BenchRow, formatTable } from './report-table.js';
import { benchSharding } from './sharding-bench.js';
import { benchSweep } from './sweep-bench.js';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const RUNS = Number(arg('runs') ?? process.env.BENCH_RUNS ?? 10);
const ONLY = arg('only');
const JSON_FILE = arg('json');
const SHARDING_AGENTS = arg('sharding-agents');

/** Remediation rows share one fleet whose policy lets the bench take many gateways out in a row. */
const benchRemediation = async (): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  const etcd = fleet.stack.connectEtcd();
  try {
    const policies = new PolicyStore(etcd);
    const policy: Policy = {
      ...DEFAULT_POLICY,
      guardrails: {
        ...DEFAULT_POLICY.guardrails,
        maxQuarantinedFraction: 1,
        rateLimit: { maxRemediations: 10_000, windowMs: 60_000, perGatewayCooldownMs: 0 },
        // Kill after kill on three gateways is a storm by the default policy: the rows measure healing, so it is off.
        storm: { ...DEFAULT_POLICY.guardrails.storm, fleetFraction: 1, zoneFraction: 1 },
      },
    };
    await policies.publish(policy);
    return [
      ...(await benchKills(fleet, temporal, RUNS)),
      ...(await benchWorkflow(fleet, temporal, RUNS)),
      ...(await benchFaultToOutOfRotation(fleet, RUNS)),
      ...(await benchTwoThousand(fleet, temporal)),
      ...(await benchMigrationRates(fleet, temporal, policies, policy)),
    ];
  } finally {
    etcd.close();
    await connection.close();
    await fleet.stop();
  }
};

const SECTIONS: Record<string, () => Promise<BenchRow[]>> = {
  remediation: benchRemediation,
  detection: () => benchDetection(RUNS),
  sweep: () => benchSweep(RUNS),
  'data-plane': () => benchDataPlane(),
  'client-faults': () => benchClientFaults(RUNS),
  k8s: () => benchK8s(RUNS),
  budget: () => benchBudget(RUNS),
  storm: () => benchStorm(RUNS),
  'detector-capacity': () => benchDetectorCapacity(RUNS),
  'fleet-ha': () => benchFleetHa(RUNS),
  sharding: () => benchSharding(RUNS, SHARDING_AGENTS === undefined ? undefined : Number(SHARDING_AGENTS)),
};

/**
 * `npm run bench`: measured figures, printed; nothing here asserts a speed.
 * `--only <section>`, `--runs N`, `--sharding-agents N`, `--json FILE` (every figure with a stable id, unit, n, p50, p99, max and the git commit).
 */
const main = async (): Promise<void> => {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs / BENCH_RUNS must be a positive whole number (got ${RUNS})`);
  if (ONLY && !SECTIONS[ONLY]) throw new Error(`--only must be one of ${Object.keys(SECTIONS).join(', ')} (got ${ONLY})`);
  if (SHARDING_AGENTS !== undefined && !(Number.isInteger(Number(SHARDING_AGENTS)) && Number(SHARDING_AGENTS) >= 3)) throw new Error(`--sharding-agents must be a whole number of at least 3 (got ${SHARDING_AGENTS})`);
  if (process.argv.includes('--json') && !JSON_FILE) throw new Error('--json needs a file name, e.g. --json bench.json');
  console.log(`Homeostat bench: ${RUNS} runs per timing row, embedded Temporal + etcd on this machine, lease TTL 1 s`);
  const recorder = new BenchRecorder(RUNS);
  for (const [name, run] of Object.entries(SECTIONS)) {
    if (ONLY && name !== ONLY) continue;
    console.log(`\n## ${name}\n`);
    const rows = await run();
    console.log(formatTable(rows));
    recorder.add(name, rows);
    // Written after every section, so a later section's failure keeps the figures already measured.
    if (JSON_FILE) await recorder.write(JSON_FILE);
  }
  if (JSON_FILE) console.log(`\nfigures written to ${JSON_FILE}`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);

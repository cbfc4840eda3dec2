import { readFile } from 'node:fs/promises';
import { type SimulatedIncident, type SimulationSummary } from '#core';
import { parseArguments, USAGE } from './cli-arguments.js';
import { formatSimulation } from './simulation-table.js';

/**
 * `npm run simulate -- --policy FILE --since 24h`: asks the API (HOMEOSTAT_API_URL, token in
 * HOMEOSTAT_API_TOKEN) to replay the recorded timelines under the policy in FILE, prints a table.
 */
const main = async (): Promise<number> => {
  const args = parseArguments(process.argv.slice(2));
  const policy = JSON.parse(await readFile(args.policyFile, 'utf8')) as unknown;
  const base = process.env.HOMEOSTAT_API_URL ?? 'http://127.0.0.1:8080';
  const token = process.env.HOMEOSTAT_API_TOKEN;
  const until = Date.now();
  const response = await fetch(new URL('/v1/policies/simulate', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      policy,
      from: new Date(until - args.sinceMs).toISOString(),
      until: new Date(until).toISOString(),
      ...(args.gatewayIds.length > 0 ? { gatewayIds: args.gatewayIds } : {}),
    }),
  });
  const body = (await response.json()) as { summary: SimulationSummary; incidents: SimulatedIncident[]; detail?: string };
  if (!response.ok) {
    process.stderr.write(`simulation refused (${response.status}): ${body.detail ?? JSON.stringify(body)}\n`);
    return 1;
  }
  process.stdout.write(`${args.json ? JSON.stringify(body, null, 2) : formatSimulation(body.summary, body.incidents)}\n`);
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  },
);

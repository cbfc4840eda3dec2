import { writeFile } from 'node:fs/promises';
import { PROFILES, SCENARIOS, runChaos, scenariosOf } from '#chaos';
import { type Scorecard, renderScorecard } from '#core';
import { parseChaosArguments } from './arguments.js';

/**
 * `npm run chaos -- --profile ci|full [--seed N] [--json FILE] [--only name,name] [--sessions N]`:
 * the fault matrix against the embedded stack under client load, a scorecard,
 * and exit code 1 if any invariant broke.
 */
const main = async (): Promise<number> => {
  const args = parseChaosArguments(process.argv.slice(2), Date.now());
  const unknown = (args.only ?? []).filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`--only names unknown scenarios: ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const scenarios = scenariosOf(args.profile, args.only);
  const profile = { ...PROFILES[args.profile], ...(args.sessions === undefined ? {} : { sessions: args.sessions }) };
  const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`);
  log(`chaos: profile ${args.profile} (${profile.sessions} sessions), seed ${args.seed} (rerun with --seed ${args.seed}), ${scenarios.length} scenarios`);
  const write = async (card: Scorecard): Promise<void> => {
    if (args.jsonFile) await writeFile(args.jsonFile, `${JSON.stringify(card, null, 2)}\n`);
  };
  const card = await runChaos({ profile, scenarios, seed: args.seed, log, onScore: write });
  await write(card);
  console.log(`\n${renderScorecard(card)}`);
  if (args.jsonFile) console.log(`\nscorecard written to ${args.jsonFile}`);
  return card.verdict === 'pass' ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);

// `npm test`: jest over every suite, two at a time; then, on a full run (no arguments), the
// suites that must run alone, each in a jest of its own. `npm test -- <jest args>` is jest with
// those arguments, nothing more.
import { spawnSync } from 'node:child_process';

/** Suites too big to share two cores with another integration suite (jest.config.mjs leaves them out). */
const ALONE = [{ path: 'test/membership/fleet-at-scale.test.ts', env: { HOMEOSTAT_FLEET_AT_SCALE: 'on' } }];

const jest = (args, env = {}) =>
  spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const args = process.argv.slice(2);
if (args.length > 0) process.exit(jest(args));

const failures = [jest([])];
for (const suite of ALONE) {
  console.log(`\nrunning alone: ${suite.path}`);
  failures.push(jest([suite.path], suite.env));
}
process.exit(failures.some((status) => status !== 0) ? 1 : 0);

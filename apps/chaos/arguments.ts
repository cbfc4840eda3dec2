import { type ProfileName } from '#chaos';

export interface ChaosArguments {
  readonly profile: ProfileName;
  readonly seed: number;
  readonly jsonFile?: string;
  readonly only?: readonly string[];
  /** Push sessions instead of the profile's (e.g. to measure the ci profile under the full load). */
  readonly sessions?: number;
}

const value = (argv: readonly string[], name: string): string | undefined => {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const given = argv[at + 1];
  if (given === undefined || given.startsWith('--')) throw new Error(`--${name} needs a value`);
  return given;
};

/** `--profile ci|full`, `--seed N` (default: time-based, printed so a failure can be rerun), `--json FILE`, `--only a,b`, `--sessions N`. */
export const parseChaosArguments = (argv: readonly string[], now: number): ChaosArguments => {
  const profile = value(argv, 'profile') ?? 'ci';
  if (profile !== 'ci' && profile !== 'full') throw new Error(`--profile must be ci or full (got ${profile})`);
  const seedText = value(argv, 'seed');
  const seed = seedText === undefined ? now % 2_147_483_647 : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number ≥ 0 (got ${seedText})`);
  const jsonFile = value(argv, 'json');
  const only = value(argv, 'only')?.split(',').filter(Boolean);
  const sessionsText = value(argv, 'sessions');
  const sessions = sessionsText === undefined ? undefined : Number(sessionsText);
  if (sessions !== undefined && !(Number.isInteger(sessions) && sessions >= 1 && sessions <= 20_000)) throw new Error(`--sessions must be a whole number from 1 to 20000 (got ${sessionsText})`);
  return { profile, seed, ...(jsonFile ? { jsonFile } : {}), ...(only ? { only } : {}), ...(sessions === undefined ? {} : { sessions }) };
};

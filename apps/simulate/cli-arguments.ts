import { parseArgs } from 'node:util';

export interface SimulateArguments {
  readonly policyFile: string;
  readonly sinceMs: number;
  readonly gatewayIds: readonly string[];
  /** Print the API's answer as JSON instead of the table. */
  readonly json: boolean;
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `24h`, `7d` → milliseconds. */
export const parseDuration = (text: string): number => {
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text.trim());
  if (!match) throw new Error(`--since must be a duration such as 90m, 24h or 7d, got "${text}"`);
  return Number(match[1]) * (UNITS[match[2]!] as number);
};

export const USAGE = 'usage: npm run simulate -- --policy FILE [--since 24h] [--gateway ID]... [--json]';

export const parseArguments = (argv: readonly string[]): SimulateArguments => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      policy: { type: 'string' },
      since: { type: 'string', default: '24h' },
      gateway: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.policy) throw new Error(`--policy FILE is required\n${USAGE}`);
  return { policyFile: values.policy, sinceMs: parseDuration(values.since), gatewayIds: values.gateway, json: values.json };
};

import { describe, expect, it } from '@jest/globals';
import { parseArguments, parseDuration } from './cli-arguments.js';

describe(parseDuration.name, () => {
  it('should read minutes, hours and days', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('24h')).toBe(24 * 3_600_000);
    expect(parseDuration('1.5d')).toBe(36 * 3_600_000);
  });

  it('should name what it expected', () => {
    expect(() => parseDuration('yesterday')).toThrow('--since must be a duration such as 90m, 24h or 7d, got "yesterday"');
  });
});

describe(parseArguments.name, () => {
  it('should default to the last 24 hours and all gateways', () => {
    expect(parseArguments(['--policy', 'p.json'])).toEqual({ policyFile: 'p.json', sinceMs: 24 * 3_600_000, gatewayIds: [], json: false });
  });

  it('should take several gateways and --json', () => {
    expect(parseArguments(['--policy', 'p.json', '--since', '2h', '--gateway', 'gw-1', '--gateway', 'gw-2', '--json'])).toMatchObject({ sinceMs: 7_200_000, gatewayIds: ['gw-1', 'gw-2'], json: true });
  });

  it('should require the policy file and refuse unknown options', () => {
    expect(() => parseArguments([])).toThrow(/--policy FILE is required/);
    expect(() => parseArguments(['--policy', 'p.json', '--sinse', '2h'])).toThrow(/Unknown option '--sinse'/);
  });
});

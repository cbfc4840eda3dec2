import { describe, expect, it } from '@jest/globals';
import { parseChaosArguments } from './arguments.js';

describe(parseChaosArguments.name, () => {
  it('should default to the ci profile with a seed taken from the clock', () => {
    expect(parseChaosArguments([], 1_234)).toEqual({ profile: 'ci', seed: 1_234 });
  });

  it('should read the profile, seed, json file and scenario list', () => {
    expect(parseChaosArguments(['--profile', 'full', '--seed', '9', '--json', 'card.json', '--only', 'a,b'], 0)).toEqual({
      profile: 'full',
      seed: 9,
      jsonFile: 'card.json',
      only: ['a', 'b'],
    });
  });

  it('should read a session count that overrides the profile', () => {
    expect(parseChaosArguments(['--sessions', '2000'], 5)).toEqual({ profile: 'ci', seed: 5, sessions: 2_000 });
  });

  it('should refuse an unknown profile, a bad seed and a flag without its value', () => {
    expect(() => parseChaosArguments(['--profile', 'huge'], 0)).toThrow('--profile must be ci or full (got huge)');
    expect(() => parseChaosArguments(['--seed', '-3'], 0)).toThrow('--seed must be a whole number ≥ 0 (got -3)');
    expect(() => parseChaosArguments(['--json'], 0)).toThrow('--json needs a value');
    expect(() => parseChaosArguments(['--sessions', '0'], 0)).toThrow('--sessions must be a whole number from 1 to 20000 (got 0)');
  });
});

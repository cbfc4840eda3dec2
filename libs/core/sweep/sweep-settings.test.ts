import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SWEEP_SETTINGS, InvalidSweepInputError, staleAfterMs, sweepSettingsFrom } from './sweep-settings.js';

describe(sweepSettingsFrom.name, () => {
  it('should apply the defaults to an empty input', () => {
    expect(sweepSettingsFrom({})).toEqual(DEFAULT_SWEEP_SETTINGS);
    expect(sweepSettingsFrom()).toEqual(DEFAULT_SWEEP_SETTINGS);
  });

  it('should take what the input sets and default the rest', () => {
    expect(sweepSettingsFrom({ vitalsIntervalMs: 250 })).toEqual({ ...DEFAULT_SWEEP_SETTINGS, vitalsIntervalMs: 250 });
    expect(staleAfterMs(sweepSettingsFrom({ vitalsIntervalMs: 250, staleAfterIntervals: 4 }))).toBe(1_000);
  });

  it.each([
    [{ vitalsIntervalMs: 0 }, 'vitalsIntervalMs'],
    [{ staleAfterIntervals: -1 }, 'staleAfterIntervals'],
    [{ vitalsIntervalMs: Number.NaN }, 'vitalsIntervalMs'],
    [{ staleAfterIntervals: '3' as unknown as number }, 'staleAfterIntervals'],
  ])('should reject %j naming the field', (input, field) => {
    expect(() => sweepSettingsFrom(input)).toThrow(InvalidSweepInputError);
    expect(() => sweepSettingsFrom(input)).toThrow(field);
  });
});

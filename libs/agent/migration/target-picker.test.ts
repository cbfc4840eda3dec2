import { describe, expect, it } from '@jest/globals';
import { TargetPicker } from './target-picker.js';

const target = (gatewayId: string) => ({ gatewayId, address: `ws://${gatewayId}/ws` });

describe(TargetPicker.name, () => {
  it('should go round the targets', () => {
    const picker = new TargetPicker([target('a'), target('b')]);
    expect([1, 2, 3, 4].map(() => picker.pick([])?.gatewayId)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('should never send a session back to a target that refused it, and answer none when all did', () => {
    const picker = new TargetPicker([target('a'), target('b')]);
    expect(picker.pick(['a'])?.gatewayId).toBe('b');
    expect(picker.pick(['a', 'b'])).toBeUndefined();
  });

  it('should prefer targets that have refused nobody', () => {
    const picker = new TargetPicker([target('a'), target('b'), target('c')]);
    picker.refused('a');
    expect([1, 2, 3, 4].map(() => picker.pick([])?.gatewayId).includes('a')).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  closeCodeForRefusal,
  closeReasonForCode,
  REDIRECT_CLOSE_CODES,
  refusalForCloseCode,
  type RedirectRefusal,
} from './close-codes.js';

const refusals: RedirectRefusal[] = ['malformed', 'forged', 'wrong-target', 'expired', 'replayed', 'predates-start'];

describe(closeCodeForRefusal.name, () => {
  it('should map each refusal to its documented close code', () => {
    expect(refusals.map(closeCodeForRefusal)).toEqual([4400, 4401, 4403, 4408, 4409, 4410]);
  });

  it('should round-trip through refusalForCloseCode', () => {
    for (const refusal of refusals) expect(refusalForCloseCode(closeCodeForRefusal(refusal))).toBe(refusal);
    expect(refusalForCloseCode(1000)).toBeUndefined();
  });
});

describe(closeReasonForCode.name, () => {
  it('should give every code a distinct reason that fits a WebSocket close frame', () => {
    const reasons = Object.values(REDIRECT_CLOSE_CODES).map(closeReasonForCode);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const reason of reasons) expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
  });
});

import { describe, expect, it } from '@jest/globals';
import { NonceLedger } from './nonce-ledger.js';
import { redeemRedirectToken } from './redeem.js';
import { signRedirectToken } from './sign.js';
import { grant, NOW_MS, OTHER_SECRET, SECRET } from './test-fixtures.js';

describe(redeemRedirectToken.name, () => {
  it('should accept a token once and refuse its replay with close code 4409', async () => {
    const ledger = new NonceLedger();
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const context = { expectedTarget: 'gw-b', expectedSession: 'session-42', nowMs: NOW_MS + 100, ledger };
    expect(await redeemRedirectToken(SECRET, token, context)).toMatchObject({ ok: true });
    expect(await redeemRedirectToken(SECRET, token, { ...context, nowMs: NOW_MS + 200 })).toEqual({
      ok: false,
      reason: 'replayed',
      closeCode: 4409,
      closeReason: 'redirect token already used',
    });
  });

  it('should attach the close code of every verification refusal', async () => {
    const ledger = new NonceLedger();
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const forged = await signRedirectToken(OTHER_SECRET, grant(), NOW_MS);
    const base = { expectedTarget: 'gw-b', expectedSession: 'session-42', nowMs: NOW_MS };
    const cases: [string, Partial<typeof base> & { notIssuedBeforeMs?: number }, number][] = [
      ['not-a-token', {}, 4400],
      [forged, {}, 4401],
      [token, { expectedSession: 'session-43' }, 4401],
      [token, { expectedTarget: 'gw-c' }, 4403],
      [token, { nowMs: NOW_MS + 20_000 }, 4408],
      [token, { notIssuedBeforeMs: NOW_MS + 1 }, 4410],
    ];
    for (const [candidate, context, closeCode] of cases) {
      const redemption = await redeemRedirectToken(SECRET, candidate, { ...base, ...context, ledger });
      expect(redemption).toMatchObject({ ok: false, closeCode });
    }
  });

  it('should not spend the nonce of a token refused for its target, its session or its issue time', async () => {
    const ledger = new NonceLedger();
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const honest = { expectedTarget: 'gw-b', expectedSession: 'session-42', nowMs: NOW_MS, ledger };
    await redeemRedirectToken(SECRET, token, { ...honest, expectedTarget: 'gw-c' });
    await redeemRedirectToken(SECRET, token, { ...honest, expectedSession: 'someone-else' });
    await redeemRedirectToken(SECRET, token, { ...honest, notIssuedBeforeMs: NOW_MS + 1 });
    expect(ledger.size).toBe(0);
    expect(await redeemRedirectToken(SECRET, token, honest)).toMatchObject({ ok: true });
  });
});

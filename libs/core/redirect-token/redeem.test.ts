import { describe, expect, it } from '@jest/globals';
import { NonceLedger } from './nonce-ledger.js';
import { redeemRedirectToken } from './redeem.js';
import { signRedirectToken } from './sign.js';
import { grant, NOW_MS, OTHER_SECRET, SECRET } from './test-fixtures.js';

describe(redeemRedirectToken.name, () => {
  it('should accept a token once and refuse its replay with close code 4409', async () => {
    const ledger = new NonceLedger();
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    const context = { expectedTarget: 'gw-b', nowMs: NOW_MS + 100, ledger };
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
    const cases: [string, { expectedTarget: string; nowMs: number }, number][] = [
      ['not-a-token', { expectedTarget: 'gw-b', nowMs: NOW_MS }, 4400],
      [forged, { expectedTarget: 'gw-b', nowMs: NOW_MS }, 4401],
      [token, { expectedTarget: 'gw-c', nowMs: NOW_MS }, 4403],
      [token, { expectedTarget: 'gw-b', nowMs: NOW_MS + 20_000 }, 4408],
    ];
    for (const [candidate, context, closeCode] of cases) {
      const redemption = await redeemRedirectToken(SECRET, candidate, { ...context, ledger });
      expect(redemption).toMatchObject({ ok: false, closeCode });
    }
  });

  it('should not spend the nonce of a token refused for another reason', async () => {
    const ledger = new NonceLedger();
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    await redeemRedirectToken(SECRET, token, { expectedTarget: 'gw-c', nowMs: NOW_MS, ledger });
    expect(await redeemRedirectToken(SECRET, token, { expectedTarget: 'gw-b', nowMs: NOW_MS, ledger })).toMatchObject({
      ok: true,
    });
  });
});

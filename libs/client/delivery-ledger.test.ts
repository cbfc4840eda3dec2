import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DeliveryLedger } from './delivery-ledger.js';

describe(DeliveryLedger.name, () => {
  it('should count a gap-free stream as all received', () => {
    const ledger = new DeliveryLedger();
    for (let seq = 10; seq < 20; seq++) expect(ledger.accept(seq)).toBe(true);
    expect(ledger).toMatchObject({ received: 10, lost: 0, duplicates: 0, reorders: 0, last: 19 });
  });

  it('should count skipped sequences as lost and late ones as reorders, never delivering them', () => {
    const ledger = new DeliveryLedger();
    [1, 2, 5, 3, 5].forEach((seq) => ledger.accept(seq));
    expect(ledger).toMatchObject({ received: 3, lost: 2, declaredLost: 0, reorders: 1, duplicates: 1, last: 5 });
  });

  it('should deliver to the application a strictly increasing sequence whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 200 }), (arrivals) => {
        const ledger = new DeliveryLedger();
        const delivered = arrivals.filter((seq) => ledger.accept(seq));
        expect(delivered).toEqual([...new Set(delivered)].sort((a, b) => a - b));
        expect(ledger.received + ledger.duplicates + ledger.reorders).toBe(arrivals.length);
      }),
    );
  });

  it('should count a declared gap once even when it overlaps what was received', () => {
    const ledger = new DeliveryLedger();
    [0, 1, 2].forEach((seq) => ledger.accept(seq));
    ledger.declareGap(1, 6);
    expect(ledger).toMatchObject({ lost: 4, declaredLost: 4, last: 6 });
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ArrivalLog, auditArrivals } from './arrival-log.js';

const logOf = (seqs: readonly number[]): ArrivalLog => {
  const log = new ArrivalLog();
  seqs.forEach((s) => log.record(s));
  return log;
};

describe(ArrivalLog.name, () => {
  it('should keep a gap-free stream as one run however long it is', () => {
    expect(logOf([5, 6, 7, 8, 9]).snapshot()).toEqual([[5, 9]]);
  });

  it('should start a new run at every gap, repeat or step back', () => {
    expect(logOf([1, 2, 4, 4, 3]).snapshot()).toEqual([[1, 2], [4, 4], [4, 4], [3, 3]]);
  });
});

describe(auditArrivals.name, () => {
  it('should find nothing wrong with every sequence once, in order', () => {
    expect(auditArrivals(logOf([10, 11, 12, 13]).snapshot(), 10, 13)).toEqual({ lost: 0, duplicated: 0, reordered: 0, received: 4 });
  });

  it('should count a skipped sequence as lost, a repeat as duplicated and a late one as reordered', () => {
    expect(auditArrivals(logOf([1, 3, 3, 2, 5]).snapshot(), 1, 5)).toEqual({ lost: 1, duplicated: 1, reordered: 1, received: 4 });
  });

  it('should count sequences the client never reached at the end of the window as lost', () => {
    expect(auditArrivals(logOf([1, 2]).snapshot(), 1, 4).lost).toBe(2);
  });

  it('should only judge the window, while remembering what came before it', () => {
    // 5 arrived before the window opened at 6; its repeat inside is not in the window either.
    expect(auditArrivals(logOf([4, 5, 6, 7, 5, 8]).snapshot(), 6, 8)).toEqual({ lost: 0, duplicated: 0, reordered: 0, received: 3 });
  });

  it('should agree with a direct count over any arrival order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 120 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 40 }), (seqs, from, span) => {
        const through = from + span;
        const seen = new Set<number>();
        let duplicated = 0;
        let reordered = 0;
        let highest = -1;
        for (const seq of seqs) {
          const inWindow = seq >= from && seq <= through;
          if (inWindow && seen.has(seq)) duplicated += 1;
          else if (inWindow) {
            if (seq < highest) reordered += 1;
            seen.add(seq);
          }
          highest = Math.max(highest, seq);
        }
        expect(auditArrivals(logOf(seqs).snapshot(), from, through)).toEqual({ lost: span + 1 - seen.size, duplicated, reordered, received: seen.size });
      }),
    );
  });
});

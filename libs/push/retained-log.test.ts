import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RetainedLog } from './retained-log.js';

const item = (seq: number) => ({ seq });

describe(RetainedLog.name, () => {
  it('should start at the first appended sequence and refuse anything out of sequence', () => {
    const log = new RetainedLog<{ seq: number }>();
    expect(log.append(item(7))).toBe(true);
    expect(log.append(item(9))).toBe(false);
    expect(log.append(item(8))).toBe(true);
    expect(log).toMatchObject({ oldest: 7, head: 9, size: 2 });
  });

  it('should trim below a sequence but never past the head', () => {
    const log = new RetainedLog<{ seq: number }>();
    for (let seq = 0; seq < 10; seq++) log.append(item(seq));
    expect(log.trimBelow(4)).toBe(4);
    expect(log.get(3)).toBeUndefined();
    expect(log.get(4)).toEqual(item(4));
    log.trimBelow(100);
    expect(log).toMatchObject({ oldest: 10, head: 10, size: 0 });
    expect(log.append(item(10))).toBe(true);
  });

  it('should take a back-filled block only when it ends right below the oldest', () => {
    const log = new RetainedLog<{ seq: number }>();
    log.startAt(10);
    log.append(item(10));
    expect(log.prepend([item(7), item(8)])).toBe(false);
    expect(log.prepend([item(7), item(9)])).toBe(false);
    expect(log.prepend([item(8), item(9)])).toBe(true);
    expect(log).toMatchObject({ oldest: 8, head: 11 });
  });

  it('should keep a jumped-over range as a hole until it is trimmed away', () => {
    const log = new RetainedLog<{ seq: number }>();
    log.append(item(0));
    log.append(item(1));
    log.jumpTo(5);
    log.append(item(5));
    expect(log.holeAt(3)).toEqual({ from: 2, to: 4 });
    expect(log.get(3)).toBeUndefined();
    expect(log.get(5)).toEqual(item(5));
    log.trimBelow(3);
    expect(log.oldest).toBe(5);
    expect(log.holeAt(3)).toBeUndefined();
  });

  it('should answer every held sequence and nothing else, whatever the appends and trims', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('append' as const), fc.nat(40)), { maxLength: 300 }), (ops) => {
        const log = new RetainedLog<{ seq: number }>();
        let floor = 0;
        let head = 0;
        for (const op of ops) {
          if (op === 'append') log.append(item(head++));
          else {
            log.trimBelow(op);
            floor = Math.max(floor, Math.min(op, head));
          }
        }
        for (let seq = 0; seq < head + 2; seq++) expect(log.get(seq)?.seq).toBe(seq >= floor && seq < head ? seq : undefined);
      }),
    );
  });
});

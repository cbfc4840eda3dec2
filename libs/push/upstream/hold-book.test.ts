import { describe, expect, it } from '@jest/globals';
import { HoldBook } from './hold-book.js';

describe(HoldBook.name, () => {
  it('should answer the lowest hold of connected holders', () => {
    const book = new HoldBook();
    const [a, b] = [{}, {}];
    expect(book.lowest(0)).toBeUndefined();
    book.set(a, 40);
    book.set(b, 25);
    expect(book.lowest(0)).toBe(25);
    book.set(b, 60);
    expect(book.lowest(0)).toBe(40);
  });

  it('should keep the hold of a holder that went away until its grace period ends', () => {
    const book = new HoldBook();
    const [gone, live] = [{}, {}];
    book.set(gone, 10);
    book.set(live, 50);
    book.release(gone, 1_000, 500);
    expect(book.lowest(1_499)).toBe(10);
    expect(book.lowest(1_500)).toBe(50);
  });
});

interface Entry {
  readonly key: string;
  readonly expiresAtMs: number;
}

/**
 * Binary min-heap keyed by expiry: pruning pops only what has expired, so a burst of
 * thousands of migrations costs O(log n) per token instead of a scan of the whole ledger.
 */
export class ExpiryQueue {
  readonly #heap: Entry[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(key: string, expiresAtMs: number): void {
    this.#heap.push({ key, expiresAtMs });
    this.#siftUp(this.#heap.length - 1);
  }

  /** Removes and returns every key whose expiry is at or before `nowMs`. */
  popExpired(nowMs: number): string[] {
    const expired: string[] = [];
    for (let top = this.#heap[0]; top !== undefined && top.expiresAtMs <= nowMs; top = this.#heap[0]) {
      expired.push(top.key);
      this.#popTop();
    }
    return expired;
  }

  #popTop(): void {
    const last = this.#heap.pop();
    if (last === undefined || this.#heap.length === 0) return;
    this.#heap[0] = last;
    this.#siftDown(0);
  }

  #expiryAt(index: number): number {
    return this.#heap[index]?.expiresAtMs ?? Number.POSITIVE_INFINITY;
  }

  #swap(a: number, b: number): void {
    const entryA = this.#heap[a];
    const entryB = this.#heap[b];
    if (entryA === undefined || entryB === undefined) return;
    this.#heap[a] = entryB;
    this.#heap[b] = entryA;
  }

  #siftUp(index: number): void {
    for (let child = index; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (this.#expiryAt(parent) <= this.#expiryAt(child)) return;
      this.#swap(parent, child);
      child = parent;
    }
  }

  #siftDown(index: number): void {
    for (let parent = index; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (this.#expiryAt(left) < this.#expiryAt(smallest)) smallest = left;
      if (this.#expiryAt(right) < this.#expiryAt(smallest)) smallest = right;
      if (smallest === parent) return;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }
}

// Drops duplicate platform events during a make-before-break overlap, when the old and the new
// channel both carry a topic (notes/genesys.md C.3: `metadata.CorrelationId`). Bounded: remembers
// the most recent `capacity` ids, which covers any overlap window at realistic event rates. Pure.

export class RecentIds {
  readonly #capacity: number;
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(capacity: number) {
    if (!(capacity >= 2)) throw new RangeError('capacity must be >= 2');
    this.#capacity = capacity;
  }

  /** Records `id`; false when it was already seen recently (a duplicate). */
  add(id: string): boolean {
    if (this.#current.has(id) || this.#previous.has(id)) return false;
    // Two generations instead of an LRU list: O(1), and at least capacity/2 ids are remembered.
    if (this.#current.size >= this.#capacity / 2) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(id);
    return true;
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }
}

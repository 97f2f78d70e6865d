// Append-only log of fixed-width rows of numbers, column 0 being a non-decreasing time. Backed by a
// growable Float64Array so long runs cost 8 bytes per value and no per-row objects. Old rows can be
// dropped from the front (retention) without shifting on every drop.

export class TimeLog {
  readonly width: number;
  #data: Float64Array;
  /** First live row. */
  #head = 0;
  /** One past the last row. */
  #tail = 0;

  constructor(width: number, initialRows = 256) {
    this.width = width;
    this.#data = new Float64Array(width * initialRows);
  }

  /** Rows currently held. */
  get length(): number {
    return this.#tail - this.#head;
  }

  /** Backing store; row i (0-based among live rows) starts at `offset(i)`. Valid until the next append. */
  get data(): Float64Array {
    return this.#data;
  }

  offset(i: number): number {
    return (this.#head + i) * this.width;
  }

  timeAt(i: number): number {
    return this.#data[(this.#head + i) * this.width] as number;
  }

  /** Reserves a new row and returns its offset in `data`; the caller fills all columns. */
  append(): number {
    if ((this.#tail + 1) * this.width > this.#data.length) this.#grow();
    const off = this.#tail * this.width;
    this.#tail++;
    return off;
  }

  /** Number of rows with time < t (index of the first row with time ≥ t). */
  countBefore(t: number): number {
    let lo = 0;
    let hi = this.length;
    // Most queries are about "now", past every row.
    if (hi === 0 || this.timeAt(hi - 1) < t) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the last row with time ≤ t, or -1. */
  lastAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.length;
    if (hi > 0 && this.timeAt(hi - 1) <= t) return hi - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeAt(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Drops the first `n` rows. */
  dropFront(n: number): void {
    this.#head += Math.min(n, this.length);
  }

  #grow(): void {
    const rows = this.length;
    const start = this.#head * this.width;
    const end = this.#tail * this.width;
    if ((rows + 1) * 2 * this.width <= this.#data.length) {
      // At most half full once dropped rows are reclaimed: compact in place (amortised O(1)).
      this.#data.copyWithin(0, start, end);
    } else {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data.subarray(start, end));
      this.#data = next;
    }
    this.#head = 0;
    this.#tail = rows;
  }
}

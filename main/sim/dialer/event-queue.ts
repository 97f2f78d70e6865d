// Binary min-heap of timed events. Ties on time are broken by insertion order (`seq`), because the
// heap itself is not stable and determinism must not depend on heap layout.

export interface TimedEvent {
  /** Due time (simulated seconds). */
  t: number;
  /** Set by the queue on push; orders events that share a time. */
  seq: number;
}

function before(a: TimedEvent, b: TimedEvent): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

export class EventQueue<E extends TimedEvent> {
  #heap: E[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Due time of the next event, or Infinity when empty. */
  peekTime(): number {
    const top = this.#heap[0];
    return top === undefined ? Infinity : top.t;
  }

  push(e: E): void {
    e.seq = this.#seq++;
    const h = this.#heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as E;
      if (!before(e, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
  }

  pop(): E | undefined {
    const h = this.#heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop() as E;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && before(h[r] as E, h[l] as E)) c = r;
        const child = h[c] as E;
        if (!before(child, last)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

// A batch of line protocol lines kept as one buffer: every line followed by a newline, which is
// exactly a write request body, plus the offset where each line ends. Splitting a batch (to isolate
// a bad point) is then a zero-copy view, and no per-line objects are allocated on the hot path.

export class LineBatch {
  /** The lines, each followed by '\n'. */
  readonly body: Buffer;
  /** ends[i]: offset just past line i's newline. */
  readonly ends: Uint32Array;

  constructor(body: Buffer, ends: Uint32Array) {
    this.body = body;
    this.ends = ends;
  }

  static empty(): LineBatch {
    return new LineBatch(Buffer.alloc(0), new Uint32Array(0));
  }

  get count(): number {
    return this.ends.length;
  }

  /** Lines [from, to) as a view of the same bytes. */
  slice(from: number, to: number): LineBatch {
    const start = from === 0 ? 0 : (this.ends[from - 1] as number);
    const end = to === 0 ? 0 : (this.ends[to - 1] as number);
    const ends = this.ends.slice(from, to);
    for (let i = 0; i < ends.length; i++) ends[i] = (ends[i] as number) - start;
    return new LineBatch(this.body.subarray(start, end), ends);
  }

  /** Line `i` as text, without its newline. */
  line(i: number): string {
    const start = i === 0 ? 0 : (this.ends[i - 1] as number);
    return this.body.toString('utf8', start, (this.ends[i] as number) - 1);
  }

  lines(): string[] {
    return Array.from({ length: this.count }, (_, i) => this.line(i));
  }
}

/** Builds a LineBatch by copying line bytes out of other buffers (record files, the tail cache). */
export class LineBatchBuilder {
  #buf = Buffer.allocUnsafe(64 * 1024);
  #len = 0;
  #ends: number[] = [];

  get count(): number {
    return this.#ends.length;
  }

  /** Adds src[start, end) (one line, no newline). */
  add(src: Buffer, start: number, end: number): void {
    const need = this.#len + (end - start) + 1;
    if (need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#buf.length * 2));
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    this.#len += src.copy(this.#buf, this.#len, start, end);
    this.#buf[this.#len++] = 0x0a;
    this.#ends.push(this.#len);
  }

  build(): LineBatch {
    return new LineBatch(this.#buf.subarray(0, this.#len), Uint32Array.from(this.#ends));
  }
}

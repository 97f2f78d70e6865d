// An in-memory copy of the newest spool records, so that a sender keeping up with the producer
// never reads its own appends back from disk. It holds at most `maxBytes` of records, always the
// most recent ones; when the sender falls behind (an outage), batches come from the segment files
// instead. The disk stays the source of truth: this cache only answers when it covers the cursor.
import { LineBatchBuilder, type LineBatch } from './line-batch.ts';
import { RECORD_HEADER } from './spool-record.ts';
import type { SpoolPosition } from './spool-state.ts';

export interface TailBatch {
  records: LineBatch;
  end: SpoolPosition;
  bytes: number;
}

const EMPTY = Buffer.alloc(0);

export class TailCache {
  readonly #maxBytes: number;
  /** The buffer each record was appended from (shared by a whole append), and where its line starts. */
  #records: Buffer[] = [];
  #starts: number[] = [];
  #sizes: number[] = [];
  #segs: number[] = [];
  #ends: number[] = [];
  #head = 0;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#records.length - this.#head;
  }

  /**
   * Records just appended to `segment` from `buf` (lines starting at `lineStarts`, records of
   * `sizes` bytes), the last one ending at file offset `end`.
   */
  push(buf: Buffer, lineStarts: readonly number[], sizes: readonly number[], segment: number, end: number): void {
    let at = end;
    for (const size of sizes) at -= size;
    for (let i = 0; i < sizes.length; i++) {
      at += sizes[i] as number;
      this.#records.push(buf);
      this.#starts.push(lineStarts[i] as number);
      this.#sizes.push(sizes[i] as number);
      this.#segs.push(segment);
      this.#ends.push(at);
      this.#bytes += sizes[i] as number;
    }
    while (this.#bytes > this.#maxBytes && this.size > 0) this.#evict();
    this.#compact();
  }

  /** Forgets records that end at or before `cursor` (acknowledged or dropped). */
  trim(cursor: SpoolPosition): void {
    while (this.size > 0 && !this.#after(this.#head, cursor)) this.#evict();
    this.#compact();
  }

  /**
   * The records from `cursor` on, if the cache holds the record that starts there (or nothing is
   * left after it); undefined when the batch must come from disk.
   */
  take(cursor: SpoolPosition, maxRecords: number, maxBytes: number): TailBatch | undefined {
    const n = this.#records.length;
    // First record ending after the cursor (binary search: positions only grow).
    let lo = this.#head;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#after(mid, cursor)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === n) return undefined;
    const startsAtCursor = this.#segs[lo] === cursor.segment && (this.#ends[lo] as number) - (this.#sizes[lo] as number) === cursor.offset;
    const followsCursor = lo > this.#head && this.#segs[lo - 1] === cursor.segment && this.#ends[lo - 1] === cursor.offset;
    if (!startsAtCursor && !followsCursor) return undefined;
    const b = new LineBatchBuilder();
    let bytes = 0;
    let i = lo;
    for (; i < n && b.count < maxRecords; i++) {
      const size = this.#sizes[i] as number;
      if (b.count > 0 && bytes + size > maxBytes) break;
      const start = this.#starts[i] as number;
      b.add(this.#records[i] as Buffer, start, start + size - RECORD_HEADER - 1);
      bytes += size;
    }
    return { records: b.build(), end: { segment: this.#segs[i - 1] as number, offset: this.#ends[i - 1] as number }, bytes };
  }

  #after(i: number, p: SpoolPosition): boolean {
    const seg = this.#segs[i] as number;
    return seg > p.segment || (seg === p.segment && (this.#ends[i] as number) > p.offset);
  }

  #evict(): void {
    this.#bytes -= this.#sizes[this.#head] as number;
    this.#records[this.#head] = EMPTY;
    this.#head++;
  }

  /** Drops evicted slots once they are the larger part of the arrays. */
  #compact(): void {
    if (this.#head < 1024 || this.#head * 2 < this.#records.length) return;
    this.#records = this.#records.slice(this.#head);
    this.#starts = this.#starts.slice(this.#head);
    this.#sizes = this.#sizes.slice(this.#head);
    this.#segs = this.#segs.slice(this.#head);
    this.#ends = this.#ends.slice(this.#head);
    this.#head = 0;
  }
}

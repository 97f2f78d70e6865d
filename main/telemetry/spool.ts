// Durable on-disk spool of line protocol lines: a point is appended here before it is sent and
// leaves only when the database has acknowledged it (or when the size cap drops it).
//
// Layout: numbered segment files (`00000000000000000001.spool`, …) holding checksummed records
// (spool-record.ts) and `cursor.json`, the durable acknowledgement cursor (spool-state.ts).
// Acknowledged data is trimmed by moving the cursor and deleting whole segments behind it, so
// nothing is ever rewritten in place.
//
// Durability policy:
// - Every append is written to the segment file with write(2) before its promise resolves; the
//   kernel owns the bytes from then on, so a crash or `kill -9` of Pacekeeper loses nothing.
// - fsync is group-committed, at most `fsyncIntervalMs` after an append: one fsync covers every
//   point appended in the interval, so a burst costs one fsync, not one per point. Only a power cut
//   or kernel crash can lose the points of that last interval.
// - The cursor is also group-committed: an acknowledgement moves it in memory, and the next commit
//   writes it, always after the data fsync, so the durable cursor never points past durable data.
//   A crash before that commit only means the last acknowledged batches are sent again, which the
//   database absorbs (same series and timestamp overwrite): delivery is at-least-once.
// - After a crash the tail is checked: an unterminated last record is cut off, and any record
//   whose checksum fails is skipped and counted, never parsed.
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import type { SpoolBatch, SpoolOptions, SpoolStats } from './spool-types.ts';
import { encodeRecords } from './spool-record.ts';
import { lockSpool } from './spool-lock.ts';
import { recoverSpool } from './spool-recover.ts';
import { comparePositions, fsyncDir, writeCursor, type SpoolCursorState, type SpoolPosition } from './spool-state.ts';
import { readRecords, segmentPath, type Segment } from './spool-reader.ts';
import { TailCache } from './spool-tail.ts';

export type { SpoolPosition } from './spool-state.ts';
export { batchLines, type SpoolBatch, type SpoolOptions, type SpoolStats } from './spool-types.ts';

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly #fsyncIntervalMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onDrop: ((points: number) => void) | undefined;
  readonly #onAppended: ((points: number) => void) | undefined;
  readonly #mapError: (e: unknown) => unknown;

  #segments: Segment[] = [];
  #state: SpoolCursorState = { segment: 0, offset: 0, dropped: 0, rejected: 0 };
  #backlogPoints = 0;
  #corrupt = 0;
  #fh: FileHandle | undefined;
  #unsynced = false;
  #syncTimer: TimerHandle | undefined;
  /** Batches handed out by `peek` and not yet acknowledged or released, oldest first. */
  #inflight: { end: SpoolPosition; droppedOfIt: number }[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  // Appends waiting for the next write(2): their lines, and one settle pair per append() call.
  #pendingLines: string[] = [];
  #pendingWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #closed = false;
  readonly #tail: TailCache;
  #cursorDirty = false;
  #unlock: (() => Promise<void>) | undefined;

  private constructor(opts: SpoolOptions) {
    if (!(opts.maxBytes >= 1024)) throw new RangeError(`spool maxBytes must be at least 1024, got ${opts.maxBytes}`);
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = opts.segmentBytes ?? Math.min(8 << 20, Math.max(64 << 10, Math.floor(opts.maxBytes / 16)));
    this.#fsyncIntervalMs = opts.fsyncIntervalMs ?? 1000;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.log ?? silentLogger;
    this.#onDrop = opts.onDrop;
    this.#onAppended = opts.onAppended;
    this.#mapError = opts.mapError ?? ((e) => e);
    this.#tail = new TailCache(Math.min(8 << 20, this.maxBytes));
  }

  /** Opens (creating if needed) and recovers a spool directory. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const s = new Spool(opts);
    await s.#recover();
    return s;
  }

  get backlogPoints(): number {
    return this.#backlogPoints;
  }

  stats(): SpoolStats {
    const diskBytes = this.#segments.reduce((n, s) => n + s.size, 0);
    return {
      backlogPoints: this.#backlogPoints,
      backlogBytes: this.#backlogBytes(),
      diskBytes,
      droppedPoints: this.#state.dropped,
      rejectedPoints: this.#state.rejected,
      corruptRecords: this.#corrupt,
    };
  }

  /**
   * Appends lines in order. Resolves once they are written to the segment file (see the durability
   * policy above). Appends made in the same tick share one write(2).
   */
  append(lines: readonly string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('spool is closed'));
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const first = this.#pendingWaiters.length === 0;
      for (const l of lines) this.#pendingLines.push(l);
      this.#pendingWaiters.push({ resolve, reject });
      if (first) void this.#serial(() => this.#writePending());
    });
  }

  /**
   * Unacknowledged records from `after` (default: the oldest), up to `maxRecords` and about
   * `maxBodyBytes`. Passing the previous batch's `end` hands out the next batch while that one is
   * still in flight; acknowledgements must then come in the same order.
   */
  peek(maxRecords: number, maxBodyBytes = 16 << 20, after?: SpoolPosition): Promise<SpoolBatch> {
    return this.#serial(async () => {
      // A drop at the cap may have moved the cursor past `after`.
      const from = after && comparePositions(after, this.#state) > 0 ? after : this.#state;
      // Corrupt records can only predate this open (a crash); #recover already counted them.
      const r = this.#tail.take(from, maxRecords, maxBodyBytes)
        ?? await readRecords(this.dir, this.#segments, from, { maxRecords, maxBytes: maxBodyBytes });
      if (r.records.count) this.#inflight.push({ end: r.end, droppedOfIt: 0 });
      return { records: r.records, end: r.end, bytes: r.bytes };
    });
  }

  /**
   * The database accepted the batch (`rejected` of its points were refused as bad data and set
   * aside). Batches are acknowledged in the order they were handed out.
   */
  ack(batch: SpoolBatch, rejected = 0): Promise<void> {
    return this.#serial(async () => {
      const i = this.#inflight.findIndex((f) => comparePositions(f.end, batch.end) === 0);
      const droppedOfIt = i >= 0 ? (this.#inflight[i] as { droppedOfIt: number }).droppedOfIt : 0;
      if (i >= 0) this.#inflight.splice(0, i + 1);
      // Points the cap dropped while this batch was in flight were delivered after all.
      this.#state.dropped -= droppedOfIt;
      if (comparePositions(batch.end, this.#state) > 0) {
        this.#backlogPoints -= batch.records.count - droppedOfIt;
        this.#state.segment = batch.end.segment;
        this.#state.offset = batch.end.offset;
        this.#tail.trim(this.#state);
      }
      this.#state.rejected += rejected;
      this.#cursorDirty = true;
      this.#scheduleSync();
    });
  }

  /** The batches in flight were not delivered; they stay first in line. */
  release(): void {
    this.#inflight = [];
  }

  /** Writes what is pending, fsyncs, persists the cursor and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#serial(async () => {
      this.#syncTimer?.cancel();
      if (this.#unsynced) await this.#sync();
      if (this.#cursorDirty) await this.#persistCursor();
      await this.#fh?.close();
      this.#fh = undefined;
      await this.#unlock?.();
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #backlogBytes(): number {
    let n = 0;
    for (const s of this.#segments) if (s.id >= this.#state.segment) n += s.size - (s.id === this.#state.segment ? this.#state.offset : 0);
    return n;
  }

  async #writePending(): Promise<void> {
    const lines = this.#pendingLines;
    const groups = this.#pendingWaiters;
    this.#pendingLines = [];
    this.#pendingWaiters = [];
    try {
      const { buf, sizes, lineStarts } = encodeRecords(lines);
      // A group larger than the whole cap keeps only its newest records.
      let skip = 0;
      let skipBytes = 0;
      while (buf.length - skipBytes > this.maxBytes && skip < sizes.length) skipBytes += sizes[skip++] as number;
      if (skip) this.#recordDrop(skip);
      const need = this.#backlogBytes() + (buf.length - skipBytes) - this.maxBytes;
      if (need > 0) await this.#dropOldest(need);
      if (skip < lines.length) await this.#appendBytes(buf, skipBytes, skip ? lineStarts.slice(skip) : lineStarts, skip ? sizes.slice(skip) : sizes);
      this.#onAppended?.(lines.length - skip);
      for (const g of groups) g.resolve();
    } catch (e) {
      const err = this.#mapError(e);
      for (const g of groups) g.reject(err);
    }
  }

  /** Writes buf[from…] (whole records) to the active segment. */
  async #appendBytes(all: Buffer, from: number, lineStarts: number[], sizes: number[]): Promise<void> {
    const buf = from ? all.subarray(from) : all;
    let active = this.#segments.at(-1);
    if (!active || !this.#fh || (active.size > 0 && active.size + buf.length > this.segmentBytes)) active = await this.#roll();
    let written = 0;
    while (written < buf.length) {
      const r = await (this.#fh as FileHandle).write(buf, written, buf.length - written, null);
      written += r.bytesWritten;
    }
    active.size += buf.length;
    this.#backlogPoints += sizes.length;
    this.#tail.push(all, lineStarts, sizes, active.id, active.size);
    this.#unsynced = true;
    this.#scheduleSync();
  }

  /** Group commit: one fsync (and cursor write, after drops) for everything appended in the interval. */
  #scheduleSync(): void {
    this.#syncTimer ??= this.#clock.setTimeout(() => {
      this.#syncTimer = undefined;
      void this.#serial(async () => {
        if (this.#unsynced) await this.#sync();
        if (this.#cursorDirty) await this.#persistCursor();
      }).catch((e) => this.#log.error('spool fsync failed', { error: e }));
    }, this.#fsyncIntervalMs);
  }

  /** Closes the active segment (fsynced) and starts the next one. */
  async #roll(): Promise<Segment> {
    if (this.#fh) {
      if (this.#unsynced) await this.#sync();
      await this.#fh.close();
      this.#fh = undefined;
    }
    const last = this.#segments.at(-1);
    const id = Math.max(last ? last.id + 1 : 0, this.#state.segment + (this.#state.offset > 0 ? 1 : 0));
    this.#fh = await open(segmentPath(this.dir, id), 'a', 0o600);
    await fsyncDir(this.dir);
    const seg = { id, size: 0 };
    this.#segments.push(seg);
    if (comparePositions(this.#state, { segment: id, offset: 0 }) < 0 && this.#backlogPoints === 0) {
      this.#state.segment = id;
      this.#state.offset = 0;
    }
    return seg;
  }

  async #sync(): Promise<void> {
    this.#unsynced = false;
    await this.#fh?.sync();
  }

  /** Moves the cursor past the oldest records until `need` bytes are freed. */
  async #dropOldest(need: number): Promise<void> {
    const r = await readRecords(this.dir, this.#segments, this.#state, { freeBytes: need, collect: false, withEnds: this.#inflight.length > 0 });
    if (r.bytes === 0) return;
    // Each dropped record that belongs to a batch in flight is counted against that batch.
    let f = 0;
    for (const end of r.ends) {
      while (f < this.#inflight.length && comparePositions(end, (this.#inflight[f] as { end: SpoolPosition }).end) > 0) f++;
      const owner = this.#inflight[f];
      if (owner) owner.droppedOfIt++;
    }
    this.#state.segment = r.end.segment;
    this.#state.offset = r.end.offset;
    this.#backlogPoints -= r.count;
    this.#recordDrop(r.count);
    this.#tail.trim(this.#state);
    // The cursor is persisted with the next group commit rather than on every append at the cap.
    // Deleting the dropped segments first is safe: if a crash comes before the cursor is written,
    // recovery finds the cursor's segment gone and starts at the oldest one left, so the only cost
    // is that a few dropped points in that segment are sent after all.
    this.#normalizeCursor();
    await this.#deleteBehindCursor();
    this.#cursorDirty = true;
    this.#scheduleSync();
  }

  #recordDrop(points: number): void {
    if (points <= 0) return;
    this.#state.dropped += points;
    this.#log.warn('telemetry spool full: dropped the oldest points', { points, maxBytes: this.maxBytes, droppedTotal: this.#state.dropped });
    this.#onDrop?.(points);
  }

  /** Persists the cursor, then deletes segments wholly behind it. */
  async #persistCursor(): Promise<void> {
    this.#normalizeCursor();
    this.#cursorDirty = false;
    await writeCursor(this.dir, this.#state);
    await this.#deleteBehindCursor();
  }

  /** A fully consumed segment that is no longer written to is skipped over. */
  #normalizeCursor(): void {
    for (;;) {
      const i = this.#segments.findIndex((s) => s.id === this.#state.segment);
      const seg = this.#segments[i];
      const next = this.#segments[i + 1];
      if (!seg || !next || this.#state.offset < seg.size) return;
      this.#state.segment = next.id;
      this.#state.offset = 0;
    }
  }

  async #deleteBehindCursor(): Promise<void> {
    const gone = this.#segments.filter((s) => s.id < this.#state.segment);
    if (gone.length === 0) return;
    this.#segments = this.#segments.filter((s) => s.id >= this.#state.segment);
    for (const s of gone) await unlink(segmentPath(this.dir, s.id)).catch(() => undefined);
  }

  async #recover(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.#unlock = await lockSpool(this.dir);
    let r;
    try {
      r = await recoverSpool(this.dir, this.#log);
    } catch (e) {
      await this.#unlock();
      throw e;
    }
    this.#segments = r.segments;
    this.#state = r.state;
    this.#backlogPoints = r.backlogPoints;
    this.#corrupt = r.corrupt;
    const tail = this.#segments.at(-1);
    if (tail && tail.size < this.segmentBytes) this.#fh = await open(segmentPath(this.dir, tail.id), 'a', 0o600);
    await this.#persistCursor();
  }
}

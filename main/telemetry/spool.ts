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
// - fsync is group-committed: at most `fsyncIntervalMs` after an append, and always before any
//   record is handed out for sending. A power cut can lose the last interval of points that were
//   never sent, but never a point the database might have seen, so the cursor can always be
//   trusted against the data.
// - After a crash the tail is checked: an unterminated last record is cut off, and any record
//   whose checksum fails is skipped and counted, never parsed.
import { mkdir, open, readdir, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { encodeRecords } from './spool-record.ts';
import { comparePositions, fsyncDir, readCursor, writeCursor, type SpoolCursorState, type SpoolPosition } from './spool-state.ts';
import { readRecords, scanTornTail, type Segment } from './spool-reader.ts';

export type { SpoolPosition } from './spool-state.ts';

export interface SpoolOptions {
  dir: string;
  /** Cap on unacknowledged record bytes. At the cap the oldest points are dropped (docs/telemetry.md). */
  maxBytes: number;
  /** Soft size of one segment file. Default: maxBytes / 16, between 64 KiB and 8 MiB. */
  segmentBytes?: number;
  /** Longest time an appended record waits for fsync. Default 1000 ms. */
  fsyncIntervalMs?: number;
  clock?: Clock;
  log?: Logger;
  /** Told each time points are dropped at the cap (count of points in this drop). */
  onDrop?: (points: number) => void;
}

export interface SpoolBatch {
  lines: string[];
  /** Cursor position just past the last record of the batch. */
  end: SpoolPosition;
  /** Record bytes (including checksums) covered by the batch. */
  bytes: number;
}

export interface SpoolStats {
  backlogPoints: number;
  backlogBytes: number;
  /** Bytes of segment files on disk (backlog plus acknowledged bytes not yet deleted). */
  diskBytes: number;
  droppedPoints: number;
  rejectedPoints: number;
  /** Corrupt or torn records skipped since open. */
  corruptRecords: number;
}

const SEGMENT_NAME = /^(\d{20})\.spool$/;
const segmentFile = (id: number) => `${String(id).padStart(20, '0')}.spool`;

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly #fsyncIntervalMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onDrop: ((points: number) => void) | undefined;

  #segments: Segment[] = [];
  #state: SpoolCursorState = { segment: 0, offset: 0, dropped: 0, rejected: 0 };
  #backlogPoints = 0;
  #corrupt = 0;
  #fh: FileHandle | undefined;
  #unsynced = false;
  #syncTimer: TimerHandle | undefined;
  /** The batch handed out by `peek` and not yet acknowledged or released. */
  #inflight: { end: SpoolPosition; points: number; droppedOfIt: number } | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #pending: { lines: string[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #closed = false;

  private constructor(opts: SpoolOptions) {
    if (!(opts.maxBytes >= 1024)) throw new RangeError(`spool maxBytes must be at least 1024, got ${opts.maxBytes}`);
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = opts.segmentBytes ?? Math.min(8 << 20, Math.max(64 << 10, Math.floor(opts.maxBytes / 16)));
    this.#fsyncIntervalMs = opts.fsyncIntervalMs ?? 1000;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.log ?? silentLogger;
    this.#onDrop = opts.onDrop;
  }

  /** Opens (creating if needed) and recovers a spool directory. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const s = new Spool(opts);
    await s.#recover();
    return s;
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
      const first = this.#pending.length === 0;
      this.#pending.push({ lines: [...lines], resolve, reject });
      if (first) void this.#serial(() => this.#writePending());
    });
  }

  /** The oldest unacknowledged records, up to `maxRecords` and about `maxBodyBytes`. Fsyncs them first. */
  peek(maxRecords: number, maxBodyBytes = 16 << 20): Promise<SpoolBatch> {
    return this.#serial(async () => {
      // Corrupt records can only predate this open (a crash); #recover already counted them.
      const r = await readRecords(this.dir, this.#segments, this.#state, { maxRecords, maxBytes: maxBodyBytes });
      if (r.lines.length && this.#unsynced) await this.#sync();
      this.#inflight = r.lines.length ? { end: r.end, points: r.lines.length, droppedOfIt: 0 } : undefined;
      return { lines: r.lines, end: r.end, bytes: r.bytes };
    });
  }

  /** The database accepted the batch (`rejected` of its points were refused as bad data and set aside). */
  ack(batch: SpoolBatch, rejected = 0): Promise<void> {
    return this.#serial(async () => {
      const inflight = this.#inflight;
      this.#inflight = undefined;
      const droppedOfIt = inflight && comparePositions(inflight.end, batch.end) === 0 ? inflight.droppedOfIt : 0;
      // Points the cap dropped while this batch was in flight were delivered after all.
      this.#state.dropped -= droppedOfIt;
      if (comparePositions(batch.end, this.#state) > 0) {
        this.#backlogPoints -= batch.lines.length - droppedOfIt;
        this.#state.segment = batch.end.segment;
        this.#state.offset = batch.end.offset;
      }
      this.#state.rejected += rejected;
      await this.#persistCursor();
    });
  }

  /** The batch was not delivered; it stays first in line. */
  release(): void {
    this.#inflight = undefined;
  }

  /** Writes what is pending, fsyncs, persists the cursor and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#serial(async () => {
      this.#syncTimer?.cancel();
      if (this.#unsynced) await this.#sync();
      await this.#fh?.close();
      this.#fh = undefined;
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
    const groups = this.#pending;
    this.#pending = [];
    try {
      const lines = groups.flatMap((g) => g.lines);
      const { buf, sizes } = encodeRecords(lines);
      // A group larger than the whole cap keeps only its newest records.
      let skip = 0;
      let skipBytes = 0;
      while (buf.length - skipBytes > this.maxBytes && skip < sizes.length) skipBytes += sizes[skip++] as number;
      if (skip) this.#recordDrop(skip);
      const need = this.#backlogBytes() + (buf.length - skipBytes) - this.maxBytes;
      if (need > 0) await this.#dropOldest(need);
      if (skip < lines.length) await this.#appendBytes(buf.subarray(skipBytes), lines.length - skip);
      for (const g of groups) g.resolve();
    } catch (e) {
      for (const g of groups) g.reject(e);
    }
  }

  async #appendBytes(buf: Buffer, points: number): Promise<void> {
    let active = this.#segments.at(-1);
    if (!active || !this.#fh || (active.size > 0 && active.size + buf.length > this.segmentBytes)) active = await this.#roll();
    let written = 0;
    while (written < buf.length) {
      const r = await (this.#fh as FileHandle).write(buf, written, buf.length - written, null);
      written += r.bytesWritten;
    }
    active.size += buf.length;
    this.#backlogPoints += points;
    this.#unsynced = true;
    this.#syncTimer ??= this.#clock.setTimeout(() => {
      this.#syncTimer = undefined;
      void this.#serial(() => this.#sync()).catch((e) => this.#log.error('spool fsync failed', { error: e }));
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
    this.#fh = await open(join(this.dir, segmentFile(id)), 'a', 0o600);
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
    const r = await readRecords(this.dir, this.#segments, this.#state, { freeBytes: need, collect: false, withEnds: this.#inflight !== undefined });
    if (r.bytes === 0) return;
    if (this.#inflight) {
      for (const end of r.ends) if (comparePositions(end, this.#inflight.end) <= 0) this.#inflight.droppedOfIt++;
    }
    this.#state.segment = r.end.segment;
    this.#state.offset = r.end.offset;
    this.#backlogPoints -= r.count;
    this.#recordDrop(r.count);
    await this.#persistCursor();
  }

  #recordDrop(points: number): void {
    if (points <= 0) return;
    this.#state.dropped += points;
    this.#log.warn('telemetry spool full: dropped the oldest points', { points, maxBytes: this.maxBytes, droppedTotal: this.#state.dropped });
    this.#onDrop?.(points);
  }

  #noteCorrupt(count: number): void {
    this.#corrupt += count;
    this.#log.warn('telemetry spool: skipping corrupt records (checksum mismatch)', { count });
  }

  /** Persists the cursor, then deletes segments wholly behind it. */
  async #persistCursor(): Promise<void> {
    // A fully consumed segment that is no longer written to is skipped over.
    for (;;) {
      const i = this.#segments.findIndex((s) => s.id === this.#state.segment);
      const seg = this.#segments[i];
      const next = this.#segments[i + 1];
      if (!seg || !next || this.#state.offset < seg.size) break;
      this.#state.segment = next.id;
      this.#state.offset = 0;
    }
    await writeCursor(this.dir, this.#state);
    const gone = this.#segments.filter((s) => s.id < this.#state.segment);
    if (gone.length === 0) return;
    this.#segments = this.#segments.filter((s) => s.id >= this.#state.segment);
    for (const s of gone) await unlink(join(this.dir, segmentFile(s.id))).catch(() => undefined);
  }

  async #recover(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const ids = (await readdir(this.dir)).flatMap((n) => {
      const m = SEGMENT_NAME.exec(n);
      return m ? [Number(m[1])] : [];
    }).sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (const id of ids) segments.push({ id, size: (await stat(join(this.dir, segmentFile(id)))).size });

    const read = await readCursor(this.dir);
    if (read.kind === 'invalid') this.#log.warn('telemetry spool: cursor file unreadable; resending from the oldest segment', { reason: read.reason });
    const first = segments[0];
    this.#state = read.kind === 'ok' ? read.state : { segment: first?.id ?? 0, offset: 0, dropped: 0, rejected: 0 };

    // Segments wholly behind the cursor were acknowledged; a crash stopped their deletion.
    for (const s of segments.filter((x) => x.id < this.#state.segment)) await unlink(join(this.dir, segmentFile(s.id)));
    this.#segments = segments.filter((s) => s.id >= this.#state.segment);

    const last = this.#segments.at(-1);
    if (last) {
      const keep = await scanTornTail(join(this.dir, segmentFile(last.id)), last.size);
      if (keep < last.size) {
        this.#log.warn('telemetry spool: discarded a torn record at the end of the spool', { segment: last.id, bytes: last.size - keep });
        await truncate(join(this.dir, segmentFile(last.id)), keep);
        last.size = keep;
        this.#corrupt++;
      }
    }
    const cur = this.#segments.find((s) => s.id === this.#state.segment);
    if (!cur) {
      // The cursor's segment is gone: everything left is newer and unsent.
      const next = this.#segments[0];
      if (next) Object.assign(this.#state, { segment: next.id, offset: 0 });
    } else if (this.#state.offset > cur.size) {
      this.#state.offset = cur.size; // data lost to a power cut after the cursor was written
    }

    const all = await readRecords(this.dir, this.#segments, this.#state, { collect: false });
    this.#backlogPoints = all.count;
    if (all.corrupt) this.#noteCorrupt(all.corrupt);

    const tail = this.#segments.at(-1);
    if (tail && tail.size < this.segmentBytes) this.#fh = await open(join(this.dir, segmentFile(tail.id)), 'a', 0o600);
    await this.#persistCursor();
  }
}

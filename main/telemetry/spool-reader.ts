// Reads records out of spool segments, in order, from a cursor position. Used for sending
// (bounded by record count and body size), for dropping the oldest records at the size cap
// (bounded by bytes to free) and for counting the backlog when a spool is opened.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { LineBatch, LineBatchBuilder } from './line-batch.ts';
import { completePrefix, nextRecord, type RecordView } from './spool-record.ts';
import type { SpoolPosition } from './spool-state.ts';

export interface Segment {
  id: number;
  /** Bytes written so far (the reader never looks past this). */
  size: number;
}

export interface ReadLimits {
  /** Stop before the record that would exceed this many valid records. */
  maxRecords?: number;
  /** Stop before the record that would exceed this many bytes (always take at least one record). */
  maxBytes?: number;
  /** Stop as soon as this many bytes are covered. */
  freeBytes?: number;
  /** Keep the records (false: only count them). Default true. */
  collect?: boolean;
  /** Also return the cursor position after each valid record. */
  withEnds?: boolean;
}

export interface ReadResult {
  /** The records' lines (empty unless `collect`). */
  records: LineBatch;
  count: number;
  ends: SpoolPosition[];
  /** Cursor position just past the last record covered. */
  end: SpoolPosition;
  /** Record bytes covered, including corrupt records. */
  bytes: number;
  corrupt: number;
}

/** Segment files are numbered in write order; 20 digits keep them sorted by name too. */
export const SEGMENT_NAME = /^(\d{20})\.spool$/;
export const segmentPath = (dir: string, id: number) => join(dir, `${String(id).padStart(20, '0')}.spool`);
const INITIAL_CHUNK = 1 << 20;

export async function readRecords(dir: string, segments: readonly Segment[], from: SpoolPosition, limits: ReadLimits = {}): Promise<ReadResult> {
  const maxRecords = limits.maxRecords ?? Number.POSITIVE_INFINITY;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const freeBytes = limits.freeBytes ?? Number.POSITIVE_INFINITY;
  const collect = limits.collect ?? true;
  const builder = collect ? new LineBatchBuilder() : undefined;
  const r: ReadResult = { records: LineBatch.empty(), count: 0, ends: [], end: { ...from }, bytes: 0, corrupt: 0 };

  const rec: RecordView = { ok: false, lineStart: 0, lineEnd: 0, end: 0 };
  let endSeg = from.segment;
  let endOff = from.offset;
  const done = () => {
    r.end = { segment: endSeg, offset: endOff };
    if (builder) r.records = builder.build();
    return r;
  };
  for (const seg of segments) {
    if (seg.id < from.segment) continue;
    let off = seg.id === from.segment ? from.offset : 0;
    if (off >= seg.size) continue;
    const fh = await open(segmentPath(dir, seg.id), 'r');
    try {
      let chunk = INITIAL_CHUNK;
      while (off < seg.size) {
        const len = Math.min(chunk, seg.size - off);
        const buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, off + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        const view = got < len ? buf.subarray(0, got) : buf;
        // Records are parsed (and checksummed) one at a time, only as far as the limits reach.
        let pos = 0;
        while (nextRecord(view, pos, rec)) {
          const size = rec.end - pos;
          if (rec.ok) {
            if (r.count >= maxRecords) return done();
            if (r.count > 0 && r.bytes + size > maxBytes) return done();
          }
          r.bytes += size;
          endSeg = seg.id;
          endOff = off + rec.end;
          if (!rec.ok) r.corrupt++;
          else {
            r.count++;
            builder?.add(view, rec.lineStart, rec.lineEnd);
            if (limits.withEnds) r.ends.push({ segment: endSeg, offset: endOff });
          }
          pos = rec.end;
          if (r.bytes >= freeBytes) return done();
        }
        if (pos === 0) {
          // One record longer than the window: widen it, unless this is the end of the data.
          if (off + got >= seg.size || got < len) break;
          chunk *= 2;
          continue;
        }
        off += pos;
      }
    } finally {
      await fh.close();
    }
  }
  return done();
}

/** Length of `path`'s longest prefix that ends in a newline: what survives a torn last append. */
export async function scanTornTail(path: string, size: number): Promise<number> {
  if (size === 0) return 0;
  const fh = await open(path, 'r');
  try {
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - 64 * 1024);
      const buf = Buffer.allocUnsafe(end - start);
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const keep = completePrefix(buf.subarray(0, bytesRead));
      if (keep > 0) return start + keep;
      end = start;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

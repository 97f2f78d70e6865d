// The spool's on-disk record format, as pure functions.
//
//   <crc32 of the line, 8 lowercase hex digits> <line protocol line>\n
//
// Plain text so an operator can read a spool with `cut -c10-` and replay it by hand. The checksum
// catches what a missing newline cannot: a record torn by a power cut can end in zero-filled or
// stale blocks that still contain newlines. A line protocol line never contains a newline (the
// encoder rejects them), so one record is exactly one line.
import { crc32 } from 'node:zlib';

const NL = 0x0a;
const SP = 0x20;
/** Bytes before each record's line: 8 hex digits and a space (the record ends with a newline). */
export const RECORD_HEADER = 9;

const HEX = '0123456789abcdef';

/** Records for `lines` in one buffer, the size of each record, and where each line's bytes sit in it. */
export function encodeRecords(lines: readonly string[]): { buf: Buffer; sizes: number[]; lineStarts: number[] } {
  const sizes = new Array<number>(lines.length);
  let total = 0;
  for (let i = 0; i < lines.length; i++) total += sizes[i] = RECORD_HEADER + Buffer.byteLength(lines[i] as string, 'utf8') + 1;
  const buf = Buffer.allocUnsafe(total);
  const lineStarts = new Array<number>(lines.length);
  let off = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = off + RECORD_HEADER;
    const n = buf.write(lines[i] as string, start, 'utf8');
    let crc = crc32(buf.subarray(start, start + n));
    for (let d = 7; d >= 0; d--) {
      buf[off + d] = HEX.charCodeAt(crc & 0xf);
      crc >>>= 4;
    }
    buf[off + 8] = SP;
    buf[start + n] = NL;
    lineStarts[i] = start;
    off += sizes[i] as number;
  }
  return { buf, sizes, lineStarts };
}

/** Where one record sits in a buffer; filled in place by `nextRecord` (no allocation per record). */
export interface RecordView {
  /** False when the record failed its checksum or header check (it is skipped). */
  ok: boolean;
  /** The line's bytes are [lineStart, lineEnd) of the buffer. */
  lineStart: number;
  lineEnd: number;
  /** Byte offset just past this record's newline. */
  end: number;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function valid(buf: Buffer, start: number, nl: number): boolean {
  if (nl - start < RECORD_HEADER + 1 || buf[start + 8] !== SP) return false;
  let want = 0;
  for (let i = 0; i < 8; i++) {
    const d = hexDigit(buf[start + i] as number);
    if (d < 0) return false;
    want = want * 16 + d;
  }
  return crc32(buf.subarray(start + RECORD_HEADER, nl)) === want;
}

/**
 * Reads the record starting at `pos` into `out`; false when no complete (newline-terminated)
 * record starts there (the end of the data, a torn tail, or a record cut by the read window).
 * Never throws on garbage: a damaged record comes back with `ok` false.
 */
export function nextRecord(buf: Buffer, pos: number, out: RecordView): boolean {
  const nl = buf.indexOf(NL, pos);
  if (nl < 0) return false;
  out.ok = valid(buf, pos, nl);
  out.lineStart = pos + RECORD_HEADER;
  out.lineEnd = nl;
  out.end = nl + 1;
  return true;
}

/** Length of the prefix of `buf` that ends with a newline (0 when there is none). */
export function completePrefix(buf: Buffer): number {
  return buf.lastIndexOf(NL) + 1;
}

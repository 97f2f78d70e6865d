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
const HEADER = 9; // 8 hex digits and a space

export function encodeRecord(line: string): Buffer {
  const body = Buffer.from(line, 'utf8');
  const out = Buffer.allocUnsafe(HEADER + body.length + 1);
  out.write(crc32(body).toString(16).padStart(8, '0'), 0, 'latin1');
  out[8] = SP;
  body.copy(out, HEADER);
  out[out.length - 1] = NL;
  return out;
}

export function encodeRecords(lines: readonly string[]): { buf: Buffer; sizes: number[] } {
  const parts = lines.map(encodeRecord);
  return { buf: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

export interface ParsedEntry {
  /** The line, or undefined when the record failed its checksum or header check (skipped). */
  line: string | undefined;
  /** Byte offset just past this record's newline, relative to the start of the parsed buffer. */
  end: number;
}

function validLine(buf: Buffer, start: number, nl: number): string | undefined {
  if (nl - start < HEADER + 1 || buf[start + 8] !== SP) return undefined;
  const hex = buf.toString('latin1', start, start + 8);
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined;
  const body = buf.subarray(start + HEADER, nl);
  if (crc32(body) !== parseInt(hex, 16)) return undefined;
  return body.toString('utf8');
}

/**
 * Every complete (newline-terminated) record in `buf`, valid or not. Never throws on garbage:
 * bytes after the last newline are not parsed (a torn tail, or a record cut by the read window).
 */
export function parseRecords(buf: Buffer): ParsedEntry[] {
  const out: ParsedEntry[] = [];
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl < 0) return out;
    out.push({ line: validLine(buf, pos, nl), end: nl + 1 });
    pos = nl + 1;
  }
}

/** Length of the prefix of `buf` that ends with a newline (0 when there is none). */
export function completePrefix(buf: Buffer): number {
  return buf.lastIndexOf(NL) + 1;
}

// InfluxDB line protocol encoding: pure functions, no I/O.
//
// Escaping follows the InfluxDB reference: measurements escape comma and space; tag keys, tag
// values and field keys escape comma, equals sign and space; string field values escape double
// quote and backslash. Newlines and carriage returns cannot be represented anywhere and are
// rejected with a clear error instead of being written as a broken line.
//
// Backslashes in names and tag values need care because parsers disagree. InfluxDB 1.x and 2.x
// (the Go parser) keep `\\` as two characters; VictoriaMetrics, Telegraf's v2 parser and InfluxDB 3
// read `\\` as one. A backslash followed by an ordinary character is literal everywhere, so it is
// written as is. A backslash followed by another backslash, a comma, an equals sign or a space, or
// at the very end, means different things to different databases (and InfluxDB 1.x/2.x cannot
// store it at all), so it is rejected rather than silently changed. See docs/telemetry.md.

export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: bigint }
  | { type: 'boolean'; value: boolean }
  | { type: 'string'; value: string };

/** A field as callers write it: number is a float, bigint an integer, or an explicit FieldValue. */
export type FieldInput = number | bigint | boolean | string | FieldValue;

export interface Point {
  measurement: string;
  /** Tags whose value is undefined or '' are left out (line protocol has no empty tag values). */
  tags?: Readonly<Record<string, string | undefined>>;
  /** Fields whose value is undefined are left out; at least one must remain. */
  fields: Readonly<Record<string, FieldInput | undefined>>;
  /** Unix time in nanoseconds. Always set, so a resent point overwrites instead of duplicating. */
  timeNs: bigint;
}

export type LineProtocolErrorCode =
  | 'LP_EMPTY_NAME'
  | 'LP_NEWLINE'
  | 'LP_AMBIGUOUS_BACKSLASH'
  | 'LP_MALFORMED_UNICODE'
  | 'LP_COMMENT'
  | 'LP_RESERVED_KEY'
  | 'LP_NO_FIELDS'
  | 'LP_BAD_FLOAT'
  | 'LP_BAD_INTEGER'
  | 'LP_BAD_TIMESTAMP';

/** A point that cannot be written as line protocol. Tag values are not secrets, so a short excerpt is shown. */
export class LineProtocolError extends Error {
  readonly code: LineProtocolErrorCode;
  /** Which part of the point, e.g. `tag value campaign_name`. */
  readonly where: string;
  readonly fix: string;
  constructor(code: LineProtocolErrorCode, where: string, detail: string, fix: string) {
    super(`line protocol: ${where} ${detail}`);
    this.name = 'LineProtocolError';
    this.code = code;
    this.where = where;
    this.fix = fix;
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export const float = (value: number): FieldValue => ({ type: 'float', value });
export const int = (value: number | bigint): FieldValue => ({ type: 'integer', value: BigInt(value) });
export const str = (value: string): FieldValue => ({ type: 'string', value });

const excerpt = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(s: string, where: string): void {
  if (/[\r\n]/.test(s)) {
    throw new LineProtocolError('LP_NEWLINE', where, `contains a line break: ${excerpt(s)}`,
      'line protocol cannot carry line breaks; replace them with spaces before writing');
  }
  if (LONE_SURROGATE.test(s)) {
    throw new LineProtocolError('LP_MALFORMED_UNICODE', where, 'contains an unpaired UTF-16 surrogate',
      'pass well-formed Unicode text; a string was probably cut in the middle of a character');
  }
}

/**
 * A backslash that InfluxDB 1.x/2.x and the other parsers would read differently: at the end, or
 * before another backslash, a comma, an equals sign or a space.
 */
const AMBIGUOUS_BACKSLASH = /\\(?=[\\,= ]|$)/;

// Anything that needs a closer look; most names and values contain none of it (fast path).
const NAME_ATTENTION = /[\\, =\r\n\uD800-\uDFFF]/;
const STRING_ATTENTION = /[\\"\r\n\uD800-\uDFFF]/;

/**
 * Shared escaper for names: backslash-escapes the characters in `special`. `what` and `key` only
 * name the part in an error message, so nothing is built for them on the common path.
 */
function escapeName(s: string, what: string, key: string | undefined, special: RegExp): string {
  if (s.length > 0 && !NAME_ATTENTION.test(s)) return s;
  const where = key === undefined ? what : `${what} ${key}`;
  if (s.length === 0) {
    throw new LineProtocolError('LP_EMPTY_NAME', where, 'is empty', 'give every measurement, tag key and field key a name');
  }
  checkText(s, where);
  const bad = AMBIGUOUS_BACKSLASH.exec(s);
  if (bad) {
    const next = s[bad.index + 1];
    throw new LineProtocolError('LP_AMBIGUOUS_BACKSLASH', where,
      `has a backslash before ${next === undefined ? 'the end' : JSON.stringify(next)}: ${excerpt(s)}`,
      'InfluxDB 1.x/2.x cannot store a backslash at the end or before \\ , = or space; change the name or value');
  }
  return s.replace(special, '\\$&');
}

const MEASUREMENT_SPECIAL = /[, ]/g;
const HIGH = /[\uD800-\uFFFF]/;
const KEY_SPECIAL = /[,= ]/g;

export function escapeMeasurement(name: string): string {
  if (name.charCodeAt(0) === 0x23) {
    throw new LineProtocolError('LP_COMMENT', 'measurement', `starts with "#": ${excerpt(name)}`,
      'a line starting with # is a comment to InfluxDB; choose a measurement name that does not start with #');
  }
  return escapeName(name, 'measurement', undefined, MEASUREMENT_SPECIAL);
}

// Keys come from a small fixed set (the point builders), so what encoding needs to know about
// each is remembered: its escaped form, and whether it sorts differently as UTF-8 (see sortedKeys).
// Bounded, because write() accepts any keys; only keys that encoded cleanly are kept.
interface KeyInfo {
  escaped: string;
  high: boolean;
}
const keyInfos = new Map<string, KeyInfo>();

function keyInfo(key: string, kind: 'tag key' | 'field key'): KeyInfo {
  const known = keyInfos.get(key);
  if (known !== undefined) return known;
  if (key === 'time') {
    throw new LineProtocolError('LP_RESERVED_KEY', kind, '"time" is reserved', 'rename the key; InfluxDB reserves "time"');
  }
  const info = { escaped: escapeName(key, kind, undefined, KEY_SPECIAL), high: HIGH.test(key) };
  if (keyInfos.size >= 4096) keyInfos.clear();
  keyInfos.set(key, info);
  return info;
}

/** Tag keys and field keys. `time` is refused: InfluxDB drops or rejects it. */
export function escapeKey(key: string, kind: 'tag key' | 'field key'): string {
  return keyInfo(key, kind).escaped;
}

export function escapeTagValue(value: string, key = '?'): string {
  return escapeName(value, 'tag value', key, KEY_SPECIAL);
}

/** The inside of a quoted string field: backslash and double quote are escaped. */
export function escapeStringField(value: string, key = '?'): string {
  if (!STRING_ATTENTION.test(value)) return value;
  checkText(value, `string field ${key}`);
  return value.replace(/["\\]/g, '\\$&');
}

export function formatFieldValue(input: FieldInput, key = '?'): string {
  // Primitives are handled without building a FieldValue: this runs for every field of every point.
  const type = typeof input === 'object' ? input.type : typeof input;
  const value = typeof input === 'object' ? input.value : input;
  switch (type) {
    case 'float':
    case 'number':
      if (!Number.isFinite(value)) {
        throw new LineProtocolError('LP_BAD_FLOAT', `field ${key}`, `is ${String(value)}`,
          'line protocol has no NaN or Infinity; leave the field out when there is no value');
      }
      // JS prints the shortest text that reads back to the same double (e.g. 1e+21, 5e-324),
      // which both Go's ParseFloat and VictoriaMetrics accept; -0 prints as 0.
      return String(value);
    case 'integer':
    case 'bigint':
      if ((value as bigint) < INT64_MIN || (value as bigint) > INT64_MAX) {
        throw new LineProtocolError('LP_BAD_INTEGER', `field ${key}`, 'is outside the signed 64-bit range',
          'write it as a float, or clamp it to ±9223372036854775807');
      }
      return `${value as bigint}i`;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return `"${escapeStringField(value as string, key)}"`;
  }
}

/**
 * Keys in the byte order of their UTF-8 encodings, as Go's bytes.Compare: the order InfluxDB
 * recommends. UTF-16 order is the same unless a surrogate pair meets a character from U+E000 up,
 * so the slower byte comparison is only needed when such characters appear.
 */
function sortedKeys(o: object, kind: 'tag key' | 'field key'): string[] {
  const keys = Object.keys(o);
  if (keys.length < 2) return keys;
  let ordered = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (keyInfo(k, kind).high) return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (i > 0 && (keys[i - 1] as string) > k) ordered = false;
  }
  // Objects built in key order (as points.ts does) skip the sort.
  return ordered ? keys : keys.sort();
}

/** One point as one line (no trailing newline). Throws LineProtocolError for a point that cannot be written. */
export function encodePoint(p: Point): string {
  // Plain concatenation measured fastest here (V8 builds a rope and flattens it once on encoding).
  let line = escapeMeasurement(p.measurement);
  if (p.tags) {
    for (const k of sortedKeys(p.tags, 'tag key')) {
      const v = p.tags[k];
      if (v === undefined || v === '') continue;
      line += ',' + escapeKey(k, 'tag key') + '=' + escapeTagValue(v, k);
    }
  }
  let sep = ' ';
  for (const k of sortedKeys(p.fields, 'field key')) {
    const v = p.fields[k];
    if (v === undefined) continue;
    line += sep + escapeKey(k, 'field key') + '=' + formatFieldValue(v, k);
    sep = ',';
  }
  if (sep === ' ') {
    throw new LineProtocolError('LP_NO_FIELDS', `point ${excerpt(p.measurement)}`, 'has no fields',
      'every point needs at least one field with a value');
  }
  if (typeof p.timeNs !== 'bigint' || p.timeNs < INT64_MIN || p.timeNs > INT64_MAX) {
    throw new LineProtocolError('LP_BAD_TIMESTAMP', `point ${excerpt(p.measurement)}`, 'has no valid nanosecond timestamp',
      'set timeNs to a bigint of Unix nanoseconds');
  }
  return line + ' ' + p.timeNs.toString();
}

/** Lines joined for a write body: newline-separated, with a trailing newline. */
export function encodeBatch(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

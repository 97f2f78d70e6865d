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
export const bool = (value: boolean): FieldValue => ({ type: 'boolean', value });
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

/** True when the backslash at `i` would be read differently by InfluxDB 1.x/2.x and other parsers. */
function ambiguousBackslash(s: string, i: number): boolean {
  const next = s[i + 1];
  return next === undefined || next === '\\' || next === ',' || next === '=' || next === ' ';
}

/** Shared escaper for names: backslash-escapes the characters in `special`. */
function escapeName(s: string, where: string, special: string): string {
  if (s.length === 0) {
    throw new LineProtocolError('LP_EMPTY_NAME', where, 'is empty', 'give every measurement, tag key and field key a name');
  }
  checkText(s, where);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && ambiguousBackslash(s, i)) {
      throw new LineProtocolError('LP_AMBIGUOUS_BACKSLASH', where,
        `has a backslash before ${s[i + 1] === undefined ? 'the end' : JSON.stringify(s[i + 1])}: ${excerpt(s)}`,
        'InfluxDB 1.x/2.x cannot store a backslash at the end or before \\ , = or space; change the name or value');
    }
    out += special.includes(c) ? `\\${c}` : c;
  }
  return out;
}

export function escapeMeasurement(name: string): string {
  if (name.startsWith('#')) {
    throw new LineProtocolError('LP_COMMENT', 'measurement', `starts with "#": ${excerpt(name)}`,
      'a line starting with # is a comment to InfluxDB; choose a measurement name that does not start with #');
  }
  return escapeName(name, 'measurement', ', ');
}

/** Tag keys and field keys. `time` is refused: InfluxDB drops or rejects it. */
export function escapeKey(key: string, kind: 'tag key' | 'field key'): string {
  if (key === 'time') {
    throw new LineProtocolError('LP_RESERVED_KEY', kind, '"time" is reserved', 'rename the key; InfluxDB reserves "time"');
  }
  return escapeName(key, kind, ',= ');
}

export function escapeTagValue(value: string, key = '?'): string {
  return escapeName(value, `tag value ${key}`, ',= ');
}

/** The inside of a quoted string field: backslash and double quote are escaped. */
export function escapeStringField(value: string, key = '?'): string {
  checkText(value, `string field ${key}`);
  let out = '';
  for (const c of value) out += c === '\\' || c === '"' ? `\\${c}` : c;
  return out;
}

export function normalizeField(input: FieldInput): FieldValue {
  switch (typeof input) {
    case 'number': return { type: 'float', value: input };
    case 'bigint': return { type: 'integer', value: input };
    case 'boolean': return { type: 'boolean', value: input };
    case 'string': return { type: 'string', value: input };
    default: return input;
  }
}

export function formatFieldValue(input: FieldInput, key = '?'): string {
  const v = normalizeField(input);
  switch (v.type) {
    case 'float':
      if (!Number.isFinite(v.value)) {
        throw new LineProtocolError('LP_BAD_FLOAT', `field ${key}`, `is ${v.value}`,
          'line protocol has no NaN or Infinity; leave the field out when there is no value');
      }
      // JS prints the shortest text that reads back to the same double (e.g. 1e+21, 5e-324),
      // which both Go's ParseFloat and VictoriaMetrics accept; -0 prints as 0.
      return String(v.value);
    case 'integer':
      if (v.value < INT64_MIN || v.value > INT64_MAX) {
        throw new LineProtocolError('LP_BAD_INTEGER', `field ${key}`, 'is outside the signed 64-bit range',
          'write it as a float, or clamp it to ±9223372036854775807');
      }
      return `${v.value}i`;
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'string':
      return `"${escapeStringField(v.value, key)}"`;
  }
}

/** Byte order, as Go's bytes.Compare: the order InfluxDB recommends for tag keys. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** One point as one line (no trailing newline). Throws LineProtocolError for a point that cannot be written. */
export function encodePoint(p: Point): string {
  let line = escapeMeasurement(p.measurement);
  const tagKeys = Object.keys(p.tags ?? {}).sort(byteOrder);
  for (const k of tagKeys) {
    const v = p.tags?.[k];
    if (v === undefined || v === '') continue;
    line += `,${escapeKey(k, 'tag key')}=${escapeTagValue(v, k)}`;
  }
  let fields = '';
  for (const k of Object.keys(p.fields).sort(byteOrder)) {
    const v = p.fields[k];
    if (v === undefined) continue;
    fields += `${fields ? ',' : ''}${escapeKey(k, 'field key')}=${formatFieldValue(v, k)}`;
  }
  if (!fields) {
    throw new LineProtocolError('LP_NO_FIELDS', `point ${excerpt(p.measurement)}`, 'has no fields',
      'every point needs at least one field with a value');
  }
  if (typeof p.timeNs !== 'bigint' || p.timeNs < INT64_MIN || p.timeNs > INT64_MAX) {
    throw new LineProtocolError('LP_BAD_TIMESTAMP', `point ${excerpt(p.measurement)}`, 'has no valid nanosecond timestamp',
      'set timeNs to a bigint of Unix nanoseconds');
  }
  return `${line} ${fields} ${p.timeNs}`;
}

/** Lines joined for a write body: newline-separated, with a trailing newline. */
export function encodeBatch(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

// An independent line protocol reader for tests, written from the two behaviours seen in real
// databases (see docs/telemetry.md):
// - 'go': InfluxDB 1.x/2.x. A character is escaped when the byte before it is a backslash; after
//   splitting, only `\,`, `\ ` and `\=` (measurements: `\,` and `\ `) are unescaped; `\\` stays two.
// - 'spec': VictoriaMetrics, InfluxDB 3. A backslash escapes the next character; `\\`, `\,`, `\ `
//   and `\=` unescape to one character, any other `\x` stays as is.
// String field values read the same in both: `\"` and `\\` unescape.
// The encoder passes only if what it writes means the same to both readers.

export type Dialect = 'go' | 'spec';

export type ParsedField = { type: 'float'; value: number } | { type: 'integer'; value: bigint } | { type: 'boolean'; value: boolean } | { type: 'string'; value: string };

export interface ParsedLine {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, ParsedField>;
  timeNs: bigint;
}

/** Index of the first unescaped character in `stops` at or after `from`, or s.length. */
function scan(s: string, from: number, stops: string, d: Dialect): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i] as string;
    if (d === 'spec' && c === '\\') {
      i++;
      continue;
    }
    if (stops.includes(c) && !(d === 'go' && i > 0 && s[i - 1] === '\\')) return i;
  }
  return s.length;
}

function unescape(s: string, special: string, d: Dialect): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const n = s[i + 1];
    if (c === '\\' && n !== undefined && (special.includes(n) || (d === 'spec' && n === '\\'))) {
      out += n;
      i++;
    } else out += c;
  }
  return out;
}

function parseField(raw: string): ParsedField {
  if (raw.startsWith('"')) {
    if (!raw.endsWith('"') || raw.length < 2) throw new Error(`unterminated string ${raw}`);
    return { type: 'string', value: raw.slice(1, -1).replace(/\\(["\\])/g, '$1') };
  }
  if (raw === 'true' || raw === 'false') return { type: 'boolean', value: raw === 'true' };
  if (/^-?\d+i$/.test(raw)) return { type: 'integer', value: BigInt(raw.slice(0, -1)) };
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) throw new Error(`bad number ${raw}`);
  return { type: 'float', value: Number(raw) };
}

/** Index just past a field value starting at `from` (quoted strings may hold commas and spaces). */
function fieldValueEnd(s: string, from: number): number {
  if (s[from] !== '"') return scan(s, from, ', ', 'spec');
  for (let i = from + 1; i < s.length; i++) {
    if (s[i] === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) i++;
    else if (s[i] === '"') return i + 1;
  }
  throw new Error('unterminated string field');
}

export function parseLine(line: string, d: Dialect): ParsedLine {
  if (line.includes('\n')) throw new Error('line contains a newline');
  const mEnd = scan(line, 0, ', ', d);
  const measurement = unescape(line.slice(0, mEnd), ', ', d);
  let i = mEnd;
  const tags: Record<string, string> = {};
  while (line[i] === ',') {
    const eq = scan(line, i + 1, '=', d);
    const vEnd = scan(line, eq + 1, ', ', d);
    if (eq >= vEnd) throw new Error(`tag without '=' at ${i}`);
    // InfluxDB 1.x refuses an unescaped '=' inside a tag value.
    if (scan(line, eq + 1, '=', d) < vEnd) throw new Error(`unescaped '=' in a tag value at ${eq + 1}`);
    tags[unescape(line.slice(i + 1, eq), ',= ', d)] = unescape(line.slice(eq + 1, vEnd), ',= ', d);
    i = vEnd;
  }
  if (line[i] !== ' ') throw new Error(`expected a space before the fields at ${i}`);
  const fields: Record<string, ParsedField> = {};
  do {
    const eq = scan(line, i + 1, '=', d);
    const vEnd = fieldValueEnd(line, eq + 1);
    fields[unescape(line.slice(i + 1, eq), ',= ', d)] = parseField(line.slice(eq + 1, vEnd));
    i = vEnd;
  } while (line[i] === ',');
  if (line[i] !== ' ') throw new Error(`expected a space before the timestamp at ${i}`);
  const ts = line.slice(i + 1);
  if (!/^-?\d+$/.test(ts)) throw new Error(`bad timestamp ${ts}`);
  return { measurement, tags, fields, timeNs: BigInt(ts) };
}

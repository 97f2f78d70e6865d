import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  encodeBatch, encodePoint, escapeMeasurement, escapeStringField, escapeTagValue, formatFieldValue, int, INT64_MAX, INT64_MIN,
  LineProtocolError, str, type FieldInput, type Point,
} from '../../main/telemetry/line-protocol.ts';
import { parseLine, type Dialect, type ParsedField } from './lp-reference-parser.ts';

const DIALECTS: Dialect[] = ['go', 'spec'];

// Text biased towards everything line protocol treats specially, plus arbitrary Unicode.
const awkwardChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(',', ' ', '=', '"', '\\', "'", '#', '\t', 'é', '✓', '😀', '日', 'a', 'Z', '0', '-', '_') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const awkwardText = fc.array(awkwardChar, { minLength: 0, maxLength: 14 }).map((cs) => cs.join(''));

/** What the encoder must reject: line breaks, broken surrogates and backslashes parsers disagree on. */
function nameProblem(s: string, measurement = false): string | undefined {
  if (measurement && s.startsWith('#')) return 'LP_COMMENT';
  if (s.length === 0) return 'LP_EMPTY_NAME';
  if (/[\r\n]/.test(s)) return 'LP_NEWLINE';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && (i === s.length - 1 || '\\,= '.includes(s[i + 1] as string))) return 'LP_AMBIGUOUS_BACKSLASH';
  }
  return undefined;
}
const portableName = (measurement = false) => awkwardText.filter((s) => nameProblem(s, measurement) === undefined);
const portableKey = portableName().filter((k) => k !== 'time');

const fieldArb: fc.Arbitrary<FieldInput> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.boolean(),
  awkwardText.filter((s) => !/[\r\n]/.test(s)),
);

const pointArb: fc.Arbitrary<Point> = fc.record({
  measurement: portableName(true),
  tags: fc.dictionary(portableKey, portableName(), { maxKeys: 4 }),
  fields: fc.dictionary(portableKey, fieldArb, { minKeys: 1, maxKeys: 4 }),
  timeNs: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
});

function expectedField(v: FieldInput): ParsedField {
  if (typeof v === 'number') return { type: 'float', value: Object.is(v, -0) ? 0 : v };
  if (typeof v === 'bigint') return { type: 'integer', value: v };
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  if (typeof v === 'string') return { type: 'string', value: v };
  return v;
}

test('property: every encoded point reads back identically under both InfluxDB 1.x/2.x and spec parsers', () => {
  fc.assert(
    fc.property(pointArb, (p) => {
      const line = encodePoint(p);
      assert.ok(!line.includes('\n'));
      for (const d of DIALECTS) {
        const back = parseLine(line, d);
        assert.equal(back.measurement, p.measurement, d);
        assert.deepEqual(back.tags, { ...p.tags }, d);
        assert.deepEqual(back.fields, Object.fromEntries(Object.entries(p.fields).map(([k, v]) => [k, expectedField(v as FieldInput)])), d);
        assert.equal(back.timeNs, p.timeNs);
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: a name or tag value is rejected exactly when it cannot be written portably, with the right code', () => {
  fc.assert(
    fc.property(awkwardText, awkwardText, (tagValue, measurementText) => {
      const p: Point = { measurement: measurementText || 'm', tags: { t: tagValue }, fields: { f: 1 }, timeNs: 1n };
      // The measurement is checked first; an empty tag value is left out, as InfluxDB requires.
      const code = nameProblem(p.measurement, true) ?? (tagValue === '' ? undefined : nameProblem(tagValue));
      if (code === undefined) {
        const line = encodePoint(p);
        assert.equal(line.includes(',t='), tagValue !== '');
        return;
      }
      assert.throws(() => encodePoint(p), (e: unknown) => {
        assert.ok(e instanceof LineProtocolError);
        assert.equal(e.code, code);
        assert.ok(e.fix.length > 10);
        return true;
      });
    }),
    { numRuns: 3000 },
  );
});

test('property: floats and integers survive formatting exactly', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const text = formatFieldValue(x);
    assert.equal(Number(text), Object.is(x, -0) ? 0 : x);
    assert.match(text, /^-?(\d+\.?\d*|\.\d+)(e[+-]\d+)?$/);
  }), { numRuns: 5000 });
  fc.assert(fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
    assert.equal(formatFieldValue(n), `${n}i`);
  }));
});

test('property: tag and field order do not change the line', () => {
  fc.assert(fc.property(pointArb, fc.integer(), (p, seed) => {
    const shuffle = <T>(xs: T[]) => xs.map((x, i) => [x, (i * 7919 + seed) % 101] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
    const q: Point = { ...p, tags: Object.fromEntries(shuffle(Object.entries(p.tags ?? {}))), fields: Object.fromEntries(shuffle(Object.entries(p.fields))) };
    assert.equal(encodePoint(q), encodePoint(p));
  }));
});

test('escaping follows the reference examples', () => {
  assert.equal(escapeMeasurement('my Measurement,x=y'), 'my\\ Measurement\\,x=y');
  assert.equal(escapeTagValue('a b,c=d"e'), 'a\\ b\\,c\\=d"e');
  assert.equal(escapeTagValue('C:\\Dialer\\Q4'), 'C:\\Dialer\\Q4', 'a backslash before an ordinary character is literal');
  assert.equal(escapeStringField('say "hi" \\o/ \\'), 'say \\"hi\\" \\\\o/ \\\\');
  assert.equal(
    encodePoint({ measurement: 'campaign_drift', tags: { campaign_name: 'Spring Sale, "EU"', region: 'eu-west-1', empty: '' }, fields: { old_rate: 1.5, new_rate: 2, version: int(7), note: str('a "b"'), on: true }, timeNs: 1_700_000_000_000_000_000n }),
    'campaign_drift,campaign_name=Spring\\ Sale\\,\\ "EU",region=eu-west-1 new_rate=2,note="a \\"b\\"",old_rate=1.5,on=true,version=7i 1700000000000000000',
  );
  assert.equal(encodeBatch(['a f=1 1', 'b f=2 2']), 'a f=1 1\nb f=2 2\n');
  assert.equal(encodeBatch([]), '');
});

test('unrepresentable points fail with a clear code and fix', () => {
  const base: Point = { measurement: 'm', fields: { f: 1 }, timeNs: 1n };
  const cases: [Partial<Point>, string][] = [
    [{ tags: { t: 'two\nlines' } }, 'LP_NEWLINE'],
    [{ fields: { s: 'a\r\nb' } }, 'LP_NEWLINE'],
    [{ tags: { t: 'ends in \\' } }, 'LP_AMBIGUOUS_BACKSLASH'],
    [{ tags: { t: 'a\\ b' } }, 'LP_AMBIGUOUS_BACKSLASH'],
    [{ tags: { t: '\uD800x' } }, 'LP_MALFORMED_UNICODE'],
    [{ measurement: '#comment' }, 'LP_COMMENT'],
    [{ measurement: '' }, 'LP_EMPTY_NAME'],
    [{ tags: { time: 'x' } }, 'LP_RESERVED_KEY'],
    [{ fields: {} }, 'LP_NO_FIELDS'],
    [{ fields: { f: undefined } }, 'LP_NO_FIELDS'],
    [{ fields: { f: Number.NaN } }, 'LP_BAD_FLOAT'],
    [{ fields: { f: Number.POSITIVE_INFINITY } }, 'LP_BAD_FLOAT'],
    [{ fields: { f: INT64_MAX + 1n } }, 'LP_BAD_INTEGER'],
    [{ timeNs: INT64_MIN - 1n }, 'LP_BAD_TIMESTAMP'],
    [{ timeNs: 5 as unknown as bigint }, 'LP_BAD_TIMESTAMP'],
  ];
  for (const [patch, code] of cases) {
    assert.throws(() => encodePoint({ ...base, ...patch }), (e: unknown) => e instanceof LineProtocolError && e.code === code && e.fix.length > 0, code);
  }
  assert.throws(() => int(1.5), RangeError, 'int() refuses a fraction instead of rounding');
});

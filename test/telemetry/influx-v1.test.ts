// The writer against a real InfluxDB 1.x (Debian `influxdb`) through the v1 /write API, with HTTP
// auth enabled: awkward values round-trip exactly, bad credentials halt instead of retrying
// forever, malformed lines are set aside, and nothing leaks the password.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { INT64_MAX, INT64_MIN, int, str, type Point } from '../../main/telemetry/line-protocol.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { InfluxdRig } from '../helpers/tsdb-rig.ts';
import { assertNoSecret, openTestWriter, waitFor, type TestWriter } from './fixture.ts';

const skip = skipUnlessTools(TOOLS.influxd);
const ADMIN = { username: 'pk-admin', password: `pw-${process.pid}-"quoted"-ünï` };

let rigP: Promise<InfluxdRig> | undefined;
let dbSeq = 0;
async function freshDb(): Promise<{ rig: InfluxdRig; db: string }> {
  rigP ??= InfluxdRig.start({ auth: ADMIN });
  const rig = await rigP;
  const db = `pk_${process.pid}_${dbSeq++}`;
  await rig.query(`CREATE DATABASE "${db}"`);
  return { rig, db };
}
after(async () => {
  if (rigP) await (await rigP).close();
});

const v1 = (db: string, url: string, extra: Record<string, unknown> = {}) =>
  ({ version: 'v1' as const, url, db, username: ADMIN.username, ...extra });

/** Writes `points`, flushes, reads `measurement` back (one row per point) and finds a point's row by its timestamp. */
async function roundTrip(w: TestWriter, rig: InfluxdRig, db: string, measurement: string, points: Point[]): Promise<(p: Point) => Record<string, unknown> | undefined> {
  for (const p of points) await w.writer.write(p);
  assert.equal(await w.writer.flush(), true, JSON.stringify(w.writer.health().lastError));
  const rows = await rig.rows(db, measurement);
  assert.equal(rows.length, points.length);
  return (p) => rows.find((r) => BigInt(r.time as number | bigint) === p.timeNs);
}

const TAG_VALUES = [
  'with space', ' leading and trailing ', 'comma,inside', 'eq=sign', 'all , = at once', '"double quoted"', "single 'q'",
  'C:\\Dialer\\Q4', 'back\\slash "and quote"', 'unicode é✓ 😀 日本語', '#not a comment', 'tab\there',
];
const STRING_FIELDS = ['say "hi"', 'trailing backslash \\', 'two \\\\ backslashes', '\\"', 'comma, space = equals', '', 'unicode 😀 ü'];
const FLOATS = [1.5, -0.001, 1e21, 5e-324, 1.7976931348623157e308, -123456.789];
const BASE_NS = 1_000_000_000_000_000n; // below 2^53, so query results compare exactly

for (const gzip of [false, true]) {
  test(`awkward tag values, string fields and every field type round-trip exactly (v1, auth, gzip ${gzip ? 'on' : 'off'})`, { skip }, async (t) => {
    const { rig, db } = await freshDb();
    const w = await openTestWriter(t, { config: v1(db, rig.url, { gzip }), secret: ADMIN.password });
    const points: Point[] = TAG_VALUES.map((v, i) => ({
      measurement: 'campaign drift,odd=name',
      tags: { case: String(i), 'tag key, with=specials': v },
      fields: {
        s: str(STRING_FIELDS[i % STRING_FIELDS.length] as string), f: FLOATS[i % FLOATS.length] as number,
        i: int(i % 2 ? INT64_MAX : INT64_MIN), b: i % 3 === 0, 'field key, with=specials': 'x',
      },
      timeNs: BASE_NS + BigInt(i) * 1000n + 7n,
    }));
    const rowOf = await roundTrip(w, rig, db, 'campaign drift,odd=name', points);
    for (const p of points) {
      const row = rowOf(p);
      assert.ok(row, `row at ${p.timeNs}`);
      assert.equal(row['tag key, with=specials'], p.tags?.['tag key, with=specials']);
      assert.equal(row.s, (p.fields.s as { value: string }).value);
      assert.equal(row.f, p.fields.f);
      assert.equal(BigInt(row.i as number | bigint), (p.fields.i as { value: bigint }).value);
      assert.equal(row.b, p.fields.b);
      assert.equal(row['field key, with=specials'], 'x');
    }
    assert.equal(w.writer.health().sentPoints, points.length);
    assertNoSecret([...w.log.lines, JSON.stringify(w.writer.health())], [ADMIN.password]);
  });
}

test('property: generated portable tag values and string fields read back exactly from InfluxDB 1.x', { skip }, async (t) => {
  const { rig, db } = await freshDb();
  const w = await openTestWriter(t, { config: v1(db, rig.url, { batchSize: 64 }), secret: ADMIN.password });
  const char = fc.oneof(fc.constantFrom(',', ' ', '=', '"', '\\', "'", 'é', '😀', 'x'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
  const text = fc.array(char, { minLength: 1, maxLength: 12 }).map((c) => c.join(''))
    .filter((s) => !/[\r\n]/.test(s) && !/\\([\\,= ]|$)/.test(s) && s.trim() === s && s.length > 0);
  const samples = fc.sample(fc.tuple(text, fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s))), { numRuns: 150, seed: 20260105 });
  const points: Point[] = samples.map(([tag, s], i) => ({ measurement: 'prop', tags: { v: tag }, fields: { s: str(s) }, timeNs: BASE_NS + BigInt(i) }));
  const rowOf = await roundTrip(w, rig, db, 'prop', points);
  for (const p of points) {
    const row = rowOf(p);
    assert.deepEqual({ v: row?.v, s: row?.s }, { v: p.tags?.v, s: (p.fields.s as { value: string }).value });
  }
});

test('a wrong password is a clear TELEMETRY_AUTH error: delivery halts, points stay spooled, nothing leaks', { skip }, async (t) => {
  const { rig, db } = await freshDb();
  const wrong = `wrong-${process.pid}-s3cr3t`;
  let secret = wrong;
  const w = await openTestWriter(t, { config: v1(db, rig.url), secrets: { get: async () => secret } });
  await w.writer.write({ measurement: 'm', fields: { f: 1 }, timeNs: BASE_NS });
  assert.equal(await w.writer.flush(), false);
  const h = w.writer.health();
  assert.equal(h.state, 'halted');
  assert.equal(h.lastError?.code, 'TELEMETRY_AUTH');
  assert.equal(h.lastError?.status, 401);
  assert.match(h.lastError?.fix ?? '', /influx\.username.*influx\.token/);
  assert.equal(h.backlogPoints, 1);

  // Not retried: the failure count stays put while time passes and more points arrive.
  await w.writer.write({ measurement: 'm', fields: { f: 2 }, timeNs: BASE_NS + 1n });
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(w.writer.health().failures, 1);
  assert.equal(w.writer.health().backlogPoints, 2);
  assertNoSecret([...w.log.lines, JSON.stringify(w.writer.health())], [wrong, `${ADMIN.username}:${wrong}`]);

  // The user fixes the secret and retries: the spooled points arrive.
  secret = ADMIN.password;
  w.writer.resume();
  await waitFor('delivery after resume', () => w.writer.health().backlogPoints === 0 && w.writer.health().state === 'idle');
  assert.equal((await rig.rows(db, 'm')).length, 2);
});

test('a malformed line forced past the escaper is set aside; the good points around it are delivered', { skip }, async (t) => {
  const { rig, db } = await freshDb();
  const w = await openTestWriter(t, { config: v1(db, rig.url), secret: ADMIN.password });
  const good = Array.from({ length: 9 }, (_, i) => `m,k=v f=${i} ${BASE_NS + BigInt(i)}`);
  const bad = 'm,k=v f="unterminated 123';
  await w.writer.writeLines([...good.slice(0, 5), bad, ...good.slice(5)]);
  assert.equal(await w.writer.flush(), true);
  const h = w.writer.health();
  assert.equal(h.rejectedPoints, 1);
  assert.equal(h.lastError?.code, 'TELEMETRY_BAD_DATA');
  assert.equal(h.lastError?.status, 400);
  assert.equal(h.state, 'idle');
  assert.equal((await rig.rows(db, 'm')).length, 9);
  const rejected = readFileSync(join(w.spoolDir, 'rejected.lp'), 'utf8');
  assert.ok(rejected.includes(`\n${bad}\n`), rejected);
  assert.match(rejected, /^# \S+ TELEMETRY_BAD_DATA: POST http:\/\/127\.0\.0\.1:\d+\/write answered 400/);
});

test('an unknown database halts with TELEMETRY_NOT_FOUND naming the settings to check', { skip }, async (t) => {
  const { rig } = await freshDb();
  const w = await openTestWriter(t, { config: v1('no_such_db', rig.url), secret: ADMIN.password });
  await w.writer.write({ measurement: 'm', fields: { f: 1 }, timeNs: BASE_NS });
  assert.equal(await w.writer.flush(), false);
  assert.equal(w.writer.health().state, 'halted');
  assert.equal(w.writer.health().lastError?.code, 'TELEMETRY_NOT_FOUND');
  assert.match(w.writer.health().lastError?.fix ?? '', /influx\.db/);
});

test('a retention policy is honoured (rp query parameter)', { skip }, async (t) => {
  const { rig, db } = await freshDb();
  await rig.query(`CREATE RETENTION POLICY "short" ON "${db}" DURATION 100000w REPLICATION 1`);
  const w = await openTestWriter(t, { config: v1(db, rig.url, { rp: 'short' }), secret: ADMIN.password });
  await w.writer.write({ measurement: 'm', fields: { f: 1 }, timeNs: BASE_NS });
  assert.equal(await w.writer.flush(), true);
  assert.equal((await rig.query('SELECT * FROM "short"."m"', { db })).length, 1);
  assert.equal((await rig.query('SELECT * FROM "autogen"."m"', { db })).length, 0);
});

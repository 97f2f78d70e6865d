// The writer against a real VictoriaMetrics (Debian `victoria-metrics`) through /api/v2/write:
// awkward tag values round-trip, gzip works, an outage loses nothing and duplicates nothing, the
// spool cap drops the oldest points with a warning, and NO_PROXY rules of the net layer apply.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { Point } from '../../main/telemetry/line-protocol.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { VictoriaMetricsRig } from '../helpers/tsdb-rig.ts';
import { assertNoSecret, openTestWriter, waitFor } from './fixture.ts';
import { TcpGate } from './tcp-gate.ts';

const skip = skipUnlessTools(TOOLS.victoriaMetrics);
let rigP: Promise<VictoriaMetricsRig> | undefined;
const shared = () => (rigP ??= VictoriaMetricsRig.start());
after(async () => {
  if (rigP) await (await rigP).close();
});

const TOKEN = `vm-token-${process.pid}-Zq8+/=`;
const v2 = (url: string, extra: Record<string, unknown> = {}) => ({ version: 'v2' as const, url, org: 'Ops & Co/EU', bucket: 'drift=pacing ü', ...extra });
const MS = 1_000_000n;
const BASE_NS = 1_000_000_000_000_000n;

const TAG_VALUES = [
  'with space', 'comma,inside', 'eq=sign', 'all , = at once', '"double quoted"', 'C:\\Dialer\\Q4',
  'back\\slash "and quote"', 'unicode é✓ 😀 日本語', '#hash', 'tab\there',
];

/** Samples per (label value, timestamp) for the given metric name, and the raw series. */
async function samples(vm: VictoriaMetricsRig, name: string, label: string, expected?: number) {
  const series = await vm.exportSettled(`{__name__="${name}"}`, expected);
  const seen: { value: string; ts: number; v: number }[] = [];
  for (const s of series) s.timestamps.forEach((ts, i) => seen.push({ value: s.metric[label] as string, ts, v: s.values[i] as number }));
  return seen;
}

for (const gzip of [false, true]) {
  test(`awkward tag values round-trip through /api/v2/write (gzip ${gzip ? 'on' : 'off'}); org and bucket are URL-encoded`, { skip }, async (t) => {
    const vm = await shared();
    const gate = await TcpGate.start(vm.port);
    t.after(() => gate.close());
    const w = await openTestWriter(t, { config: v2(gate.url, { gzip }), secret: TOKEN });
    const name = `rt_${gzip ? 'gz' : 'plain'}`;
    const points: Point[] = TAG_VALUES.map((v, i) => ({ measurement: name, tags: { v, case: String(i) }, fields: { f: i + 0.5 }, timeNs: BASE_NS + BigInt(i) * MS }));
    for (const p of points) await w.writer.write(p);
    assert.equal(await w.writer.flush(), true, JSON.stringify(w.writer.health().lastError));

    const got = await samples(vm, `${name}_f`, 'v', TAG_VALUES.length);
    assert.deepEqual(got.map((g) => g.value).sort(), [...TAG_VALUES].sort());
    for (const g of got) assert.equal(g.v, TAG_VALUES.indexOf(g.value) + 0.5);

    const wire = gate.requestBytes();
    const head = wire.subarray(0, wire.indexOf('\r\n\r\n')).toString('latin1');
    assert.match(head, /^POST \/api\/v2\/write\?org=Ops\+%26\+Co%2FEU&bucket=drift%3Dpacing\+%C3%BC&precision=ns HTTP\/1\.1/);
    assert.match(head, /\r\nauthorization: Token /i);
    const body = wire.subarray(wire.indexOf('\r\n\r\n') + 4);
    if (gzip) {
      assert.match(head, /\r\ncontent-encoding: gzip/i);
      assert.deepEqual([...body.subarray(0, 2)], [0x1f, 0x8b], 'the body is gzip');
      assert.match(gunzipSync(body).toString('utf8'), new RegExp(`^${name},case=0,v=with\\\\ space f=0.5 `));
    } else {
      assert.doesNotMatch(head, /content-encoding/i);
      assert.match(body.toString('utf8'), new RegExp(`^${name},case=0,v=with\\\\ space f=0.5 `));
    }
    assertNoSecret([...w.log.lines, JSON.stringify(w.writer.health())], [TOKEN]);
  });
}

test('outage: points written while the database is down all arrive exactly once after it returns', { skip }, async (t) => {
  const vm = await VictoriaMetricsRig.start();
  t.after(() => vm.close());
  const w = await openTestWriter(t, { config: v2(vm.url, { batchSize: 50 }), secret: TOKEN });
  const point = (i: number): Point => ({ measurement: 'outage', tags: { campaign: `c${i % 3}` }, fields: { seq: i }, timeNs: BASE_NS + BigInt(i) * MS });
  for (let i = 0; i < 5; i++) await w.writer.write(point(i));
  assert.equal(await w.writer.flush(), true);

  await vm.stop();
  const N = 400;
  for (let i = 5; i < 5 + N; i++) await w.writer.write(point(i));
  const down = await waitFor('a failed attempt', () => {
    const h = w.writer.health();
    return h.state === 'retrying' && h.lastError ? h : undefined;
  });
  assert.equal(down.lastError?.code, 'TELEMETRY_UNREACHABLE');
  assert.match(down.lastError?.fix ?? '', /resent automatically/);
  assert.ok(down.nextRetryAt);
  assert.equal(w.writer.health().backlogPoints, N);

  await vm.start();
  await waitFor('the backlog to drain', () => w.writer.health().backlogPoints === 0 && w.writer.health().state === 'idle', 30_000);
  const got = await samples(vm, 'outage_seq', 'campaign', N + 5);
  const seqs = got.map((g) => g.v).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: N + 5 }, (_, i) => i), 'every point once, none twice');
  for (const g of got) assert.equal(BigInt(g.ts) * MS, BASE_NS + BigInt(g.v) * MS, 'timestamps are the ones assigned at creation');
  assert.equal(w.writer.health().sentPoints, N + 5);
  assert.ok(w.log.lines.some((l) => l.includes('telemetry delivery recovered')));
});

test('spool cap: with the database down the oldest points are dropped with a visible warning; the newest arrive', { skip }, async (t) => {
  const vm = await VictoriaMetricsRig.start();
  t.after(() => vm.close());
  await vm.stop();
  const cap = 64 * 1024;
  const w = await openTestWriter(t, { config: v2(vm.url, { spoolMaxBytes: cap, batchSize: 500 }), secret: TOKEN });
  const warnings: string[] = [];
  w.writer.onHealth((h) => h.warning && warnings.push(h.warning.code));
  const N = 2_000; // about 150 KB of records: more than twice the cap
  for (let i = 0; i < N; i++) {
    await w.writer.write({ measurement: 'capped', tags: { campaign: 'c1', pad: 'x'.repeat(40) }, fields: { seq: i }, timeNs: BASE_NS + BigInt(i) * MS });
  }
  const h = w.writer.health();
  assert.ok(h.backlogBytes <= cap, `backlog ${h.backlogBytes} B within the ${cap} B cap`);
  assert.ok(h.droppedPoints > 0);
  assert.equal(h.droppedPoints + h.backlogPoints, N);
  assert.equal(h.warning?.code, 'TELEMETRY_SPOOL_FULL');
  assert.match(h.warning?.fix ?? '', /spoolMaxBytes/);
  assert.equal(h.warning?.droppedPoints, h.droppedPoints);
  assert.ok(warnings.includes('TELEMETRY_SPOOL_FULL'), 'listeners are told');
  assert.ok(w.log.lines.some((l) => JSON.parse(l).level === 'warn' && l.includes('spool full')));

  await vm.start();
  await waitFor('the backlog to drain', () => w.writer.health().backlogPoints === 0 && w.writer.health().state === 'idle', 30_000);
  const seqs = (await samples(vm, 'capped_seq', 'campaign', N - h.droppedPoints)).map((g) => g.v).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: N - h.droppedPoints }, (_, i) => h.droppedPoints + i), 'exactly the newest points survive');
  assert.equal(w.writer.health().warning, undefined, 'the warning clears once the backlog is delivered');
  assert.equal(w.writer.health().droppedPoints, h.droppedPoints, 'the drop count stays visible');
});

test('telemetry traffic follows the net layer proxy rules: NO_PROXY bypasses a proxy that is down', { skip }, async (t) => {
  const vm = await shared();
  // Loopback normally bypasses every proxy; turn that off so only NO_PROXY can send traffic direct.
  const proxy = { mode: 'fixed' as const, url: 'http://127.0.0.1:9', bypassLoopback: false };
  const bypass = await openTestWriter(t, { config: v2(vm.url), netConfig: { proxy: { ...proxy, noProxy: ['127.0.0.1'] } } });
  await bypass.writer.write({ measurement: 'proxied', fields: { f: 1 }, timeNs: BASE_NS });
  assert.equal(await bypass.writer.flush(), true, JSON.stringify(bypass.writer.health().lastError));

  const viaProxy = await openTestWriter(t, { config: v2(vm.url), netConfig: { proxy } });
  await viaProxy.writer.write({ measurement: 'proxied', fields: { f: 2 }, timeNs: BASE_NS + MS });
  assert.equal(await viaProxy.writer.flush(), false);
  const e = viaProxy.writer.health().lastError;
  assert.equal(e?.code, 'TELEMETRY_UNREACHABLE');
  assert.match(`${e?.message} ${e?.fix}`, /proxy/i);
});

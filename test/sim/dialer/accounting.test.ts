import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNT_FIELDS, EVENT_FIELDS, addCounts, sumCounts } from '../../../main/sim/dialer/counts.ts';
import { createDialerModel } from '../../../main/sim/dialer/model.ts';
import { Mulberry32 } from '../../../main/sim/dialer/prng.ts';
import { scenario } from '../../../main/sim/dialer/scenarios.ts';
import type { CallRecord, Counts } from '../../../main/sim/dialer/types.ts';
import { recordCalls } from './fixtures.ts';

const HOUR = 3600;

function assertCountsEqual(actual: Counts, expected: Counts, what: string): void {
  for (const f of COUNT_FIELDS) {
    if ((EVENT_FIELDS as readonly string[]).includes(f)) assert.equal(actual[f], expected[f], `${what}: ${f}`);
    else assert.ok(Math.abs(actual[f] - expected[f]) < 1e-6, `${what}: ${f} ${actual[f]} vs ${expected[f]}`);
  }
}

function model3h(retention?: number) {
  const m = createDialerModel(scenario('steady', { seed: 21, pacing: { initial: 4 }, detailRetentionSec: retention }));
  const calls = recordCalls(m);
  m.advanceTo(3 * HOUR);
  return { m, calls };
}

test('counts(from, to) is additive over arbitrary split points', () => {
  const { m } = model3h();
  const rng = new Mulberry32(4);
  for (let i = 0; i < 200; i++) {
    const [a, b, c] = [rng.next(), rng.next(), rng.next()].map((u) => u * 3 * HOUR).sort((x, y) => x - y) as [number, number, number];
    assertCountsEqual(addCounts(m.counts(a, b), m.counts(b, c)), m.counts(a, c), `[${a}, ${b}) + [${b}, ${c})`);
  }
});

test('minute buckets, counts(0, now) and the snapshot cumulative agree', () => {
  const { m } = model3h();
  const buckets = m.minuteBuckets();
  assert.equal(buckets.length, 180);
  assertCountsEqual(sumCounts(buckets), m.counts(0, 3 * HOUR), 'buckets vs counts');
  assertCountsEqual(m.snapshot().cumulative, m.counts(0, 3 * HOUR), 'snapshot vs counts');
  for (const i of [0, 1, 59, 120, 179]) assertCountsEqual(buckets[i]!, m.counts(60 * i, 60 * i + 60), `bucket ${i}`);
});

test('call counts over any interval match the calls the model reported', () => {
  const { m, calls } = model3h();
  const at = (c: CallRecord, f: 'tDial' | 'tConnect' | 'tEnd' | 'tAnswer') => c[f] ?? NaN;
  const tally = (from: number, to: number, pick: (c: CallRecord) => number, keep: (c: CallRecord) => boolean) =>
    calls.filter((c) => keep(c) && pick(c) >= from && pick(c) < to).length;
  const rng = new Mulberry32(8);
  for (let i = 0; i < 50; i++) {
    // Intervals that end an hour before now, so every call they count has finished and been reported.
    const [from, to] = [rng.next(), rng.next()].map((u) => u * 2 * HOUR).sort((x, y) => x - y) as [number, number];
    const c = m.counts(from, to);
    assert.equal(c.abandoned, tally(from, to, (x) => at(x, 'tEnd'), (x) => x.outcome === 'live-abandoned'));
    assert.equal(c.connected, tally(from, to, (x) => at(x, 'tConnect'), (x) => x.outcome === 'live-connected'));
    assert.equal(c.live, tally(from, to, (x) => at(x, 'tAnswer'), (x) => x.outcome.startsWith('live')));
    assert.equal(c.noAnswer, tally(from, to, (x) => at(x, 'tEnd'), (x) => x.outcome === 'no-answer'));
    assert.equal(c.fails, tally(from, to, (x) => at(x, 'tEnd'), (x) => x.outcome === 'fail'));
    assert.equal(c.machines, tally(from, to, (x) => at(x, 'tEnd'), (x) => x.outcome === 'machine'));
    assert.equal(c.dials, tally(from, to, (x) => at(x, 'tDial'), () => true));
  }
});

test('agent-seconds add up: 20 agents logged in all day give 20 staffed seconds per second', () => {
  const { m } = model3h();
  const rng = new Mulberry32(2);
  for (let i = 0; i < 50; i++) {
    const [from, to] = [rng.next(), rng.next()].map((u) => u * 3 * HOUR).sort((x, y) => x - y) as [number, number];
    const c = m.counts(from, to);
    assert.ok(Math.abs(c.staffedSec - 20 * (to - from)) < 1e-6, `staffed over [${from}, ${to})`);
    assert.ok(Math.abs(c.readySec + c.talkSec + c.wrapSec - c.staffedSec) < 1e-9);
    assert.ok(c.readySec >= 0 && c.talkSec > 0 && c.wrapSec >= 0);
  }
});

test('counts clamps bounds to [0, now] and rejects reversed or NaN bounds', () => {
  const { m } = model3h();
  assert.deepEqual(m.counts(-100, 1e9), m.counts(0, 3 * HOUR));
  assert.deepEqual(m.counts(4 * HOUR, 5 * HOUR).dials, 0);
  assert.throws(() => m.counts(10, 5), RangeError);
  assert.throws(() => m.counts(NaN, 5), RangeError);
});

test('with a short detail retention, recent bounds stay exact, old bounds round down to the minute, buckets are unchanged', () => {
  const full = model3h().m;
  const short = model3h(600).m;
  assert.deepEqual(short.minuteBuckets(), full.minuteBuckets());
  assert.deepEqual(short.snapshot(), full.snapshot());
  const recent = [3 * HOUR - 500.25, 3 * HOUR - 13.5] as const;
  assertCountsEqual(short.counts(...recent), full.counts(...recent), 'recent interval');
  // An old bound is rounded down to the whole minute…
  assertCountsEqual(short.counts(90.5, 3 * HOUR), full.counts(60, 3 * HOUR), 'old bound');
  // …which the full-detail model does not do (so the comparison above can tell them apart).
  assert.notEqual(full.counts(90.5, 3 * HOUR).dials, full.counts(60, 3 * HOUR).dials);
});

test('a multi-day jump in one call equals hourly steps, with detail retention compacting along the way', () => {
  const cfg = scenario('smallTeam', { seed: 6, pacing: { initial: 2 }, detailRetentionSec: 3600 });
  const jump = createDialerModel(cfg);
  jump.advanceTo(2 * 86_400);
  const steps = createDialerModel(cfg);
  for (let t = HOUR; t <= 2 * 86_400; t += HOUR) steps.advanceTo(t);
  assert.deepEqual(jump.snapshot(), steps.snapshot());
  assert.deepEqual(jump.minuteBuckets(), steps.minuteBuckets());
  assert.equal(jump.minuteBuckets().length, 2 * 1440);
  const recent = [2 * 86_400 - 1000.5, 2 * 86_400 - 10.25] as const;
  assertCountsEqual(jump.counts(...recent), steps.counts(...recent), 'recent interval');
  // Detail older than the retention was dropped: an old bound rounds down to its minute.
  assertCountsEqual(jump.counts(3600.5, 7200), jump.counts(3600, 7200), 'old bound');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sumCounts } from '../../../main/sim/dialer/counts.ts';
import { occupancyPct } from '../../../main/sim/dialer/metrics.ts';
import { runFixed, runWithTuner, type TunerObservation } from '../../../main/sim/dialer/runner.ts';
import { scenario } from '../../../main/sim/dialer/scenarios.ts';

const HOUR = 3600;

test('runFixed runs the whole day and summarises its minute buckets', () => {
  const r = runFixed(scenario('steady', { seed: 2 }), 3.5);
  assert.equal(r.durationSec, 8 * HOUR);
  assert.equal(r.buckets.length, 480);
  assert.equal(r.model.nowSec, 8 * HOUR);
  assert.deepEqual(r.summary.total, sumCounts(r.buckets));
  assert.deepEqual(r.ratios, [{ tSec: 0, ratio: 3.5 }]);
  assert.equal(r.model.snapshot().ratio, 3.5);
});

test('a tuner that never answers gives exactly the fixed-ratio run', () => {
  const cfg = scenario('burst', { seed: 4, pacing: { initial: 3 } });
  let calls = 0;
  const tuned = runWithTuner(cfg, 30, () => {
    calls++;
    return undefined;
  });
  assert.equal(calls, (8 * HOUR) / 30);
  assert.deepEqual(tuned.buckets, runFixed(cfg).buckets);
});

test('observations cover consecutive intervals and the tuner’s value takes effect', () => {
  const seen: TunerObservation[] = [];
  const r = runWithTuner(
    scenario('steady', { seed: 5 }),
    45,
    (obs) => {
      seen.push(obs);
      return obs.tSec >= 1800 ? 4 : undefined;
    },
    { durationSec: HOUR + 10 },
  );
  // 80 whole intervals, then one partial interval ending at the duration.
  assert.equal(seen.length, 81);
  assert.equal(seen.at(-1)!.tSec, HOUR + 10);
  for (let i = 0; i < seen.length; i++) {
    const o = seen[i]!;
    assert.equal(o.fromSec, i === 0 ? 0 : seen[i - 1]!.tSec);
    assert.equal(o.snapshot.tSec, o.tSec);
    assert.deepEqual(o.interval, o.counts(o.fromSec, o.tSec));
  }
  assert.equal(seen.find((o) => o.tSec === 1800)!.snapshot.ratio, 1);
  assert.equal(seen.find((o) => o.tSec === 1845)!.snapshot.ratio, 4);
  assert.deepEqual(r.ratios, [
    { tSec: 0, ratio: 1 },
    { tSec: 1800, ratio: 4 },
  ]);
  const total = seen.reduce((n, o) => n + o.interval.dials, 0);
  assert.equal(total, r.model.counts(0, HOUR + 10).dials);
  // Dialing harder after 30 min shows in the counts: agents go from about 60% to about 87% busy.
  const before = occupancyPct(r.model.counts(600, 1800));
  const after = occupancyPct(r.model.counts(2400, 3600));
  assert.ok(after > before + 15, `occupancy ${before} → ${after}`);
});

test('bad tuner output and bad driver arguments are RangeErrors', () => {
  const cfg = scenario('steady');
  assert.throws(() => runWithTuner(cfg, 60, () => 0, { durationSec: 600 }), RangeError);
  assert.throws(() => runWithTuner(cfg, 60, () => NaN, { durationSec: 600 }), RangeError);
  assert.throws(() => runWithTuner(cfg, 0, () => undefined), RangeError);
  assert.throws(() => runWithTuner(cfg, 1e-9, () => undefined), RangeError);
  assert.throws(() => runFixed(cfg, 1, { durationSec: -1 }), RangeError);
  assert.throws(() => runFixed(cfg, -1), RangeError);
});

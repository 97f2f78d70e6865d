// The evaluation harness on short simulated runs: it drives the real dialer model, scores with
// the model's metrics, finds the hindsight oracle, and the report judges goals on the worst seed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EVAL_CONFIG, evaluateRun, ratioStats, type RunMetrics } from '../../main/tuning/eval/evaluate-run.ts';
import type { EvalJobResult } from '../../main/tuning/eval/job.ts';
import { bestFixedRatio } from '../../main/tuning/eval/oracle.ts';
import { aggregate, goals, goalsChecklist, markdownTable } from '../../main/tuning/eval/report.ts';

const HOUR = { ...DEFAULT_EVAL_CONFIG, durationSec: 3_600 };

describe('evaluation harness', () => {
  test('controllers drive the model; runs are deterministic per seed (common random numbers)', () => {
    const a = evaluateRun('steady', 5, { kind: 'compliance-pi' }, HOUR);
    const b = evaluateRun('steady', 5, { kind: 'compliance-pi' }, HOUR);
    assert.deepEqual(a, b);
    assert.ok(a.meanRatio > 1, 'it ramped up from progressive');
    assert.ok(a.maxRisePct <= 10 + 1e-6, `never a rise of more than 10 % (${a.maxRisePct})`);
    assert.ok(a.maxStepPct <= 50 + 1e-6, `a fall beyond 10 % only as a bounded emergency cut (${a.maxStepPct})`);
    const fixed = evaluateRun('steady', 5, { kind: 'fixed-ratio', value: 1 }, HOUR);
    assert.equal(fixed.abandonPct, 0, 'progressive dialing abandons nothing in this model');
    assert.ok(a.occupancyPct > fixed.occupancyPct, 'and the controller keeps agents busier than progressive');
  });

  test('the seed law, unlike ours, runs into a clamp', () => {
    const seed = evaluateRun('steady', 3, { kind: 'seed-law', targetAnswerRate: 0.2 }, { ...DEFAULT_EVAL_CONFIG, durationSec: 2 * 3_600 });
    assert.ok(seed.clampPct > 10, `seed law at a clamp ${seed.clampPct.toFixed(0)} % of the time`);
  });

  test('the oracle picks the best-occupancy fixed ratio within the limit', () => {
    const o = bestFixedRatio('steady', 2, HOUR);
    assert.ok(o.metrics.abandonPct <= 3);
    const above = evaluateRun('steady', 2, { kind: 'fixed-ratio', value: o.ratio + 0.05 }, HOUR);
    assert.ok(above.abandonPct > 3 || above.occupancyPct <= o.metrics.occupancyPct + 1e-9, 'nothing just above it is better and feasible');
  });

  test('ratio statistics are time-weighted', () => {
    const s = ratioStats([{ tSec: 0, ratio: 1 }, { tSec: 30, ratio: 2 }, { tSec: 90, ratio: 6 }], 120, { min: 1, max: 6 });
    assert.equal(s.meanRatio, (30 * 1 + 60 * 2 + 30 * 6) / 120);
    assert.equal(s.clampPct, 50);
    assert.equal(s.maxStepPct, 200);
    assert.equal(s.maxRisePct, 200);
    const cutThenRise = ratioStats([{ tSec: 0, ratio: 4 }, { tSec: 30, ratio: 2 }, { tSec: 60, ratio: 2.2 }], 90, { min: 1, max: 6 });
    assert.equal(cutThenRise.maxStepPct, 50, 'a cut counts as a step');
    assert.ok(Math.abs(cutThenRise.maxRisePct - 10) < 1e-9, 'but not as a rise');
  });
});

describe('evaluation report', () => {
  const m = (abandonPct: number, occupancyPct: number, worst30Pct = 5): RunMetrics => ({
    abandonPct, occupancyPct, worst30Pct, worst30AfterJumpPct: 6, talkMinPerAgentHour: 45, clampPct: 1, meanRatio: 3.8, maxStepPct: 10, maxRisePct: 10,
  });
  const job = (seed: number, ours: RunMetrics): EvalJobResult => ({
    scenario: 'steady', seed, oracleRatio: 4,
    metrics: { 'seed-law': m(12, 80, 30), 'vicidial-adaptive': m(3.1, 66, 9), 'best-fixed-ratio': m(2.9, 87, 7), 'compliance-pi': ours },
  });

  test('goals are judged on the worst seed and print PASS/FAIL with the numbers', () => {
    const good = goals(aggregate([job(1, m(2.5, 85.5)), job(2, m(2.6, 85))]));
    assert.equal(good.find((g) => g.name.startsWith('Cumulative'))!.pass, true);
    assert.equal(good.find((g) => g.name.startsWith('Occupancy ≥ 95%'))!.pass, true);
    const bad = goals(aggregate([job(1, m(2.5, 85.5)), job(2, m(3.05, 85, 9))]));
    const cum = bad.find((g) => g.name.startsWith('Cumulative'))!;
    assert.equal(cum.pass, false, 'one seed over 3 % fails the goal');
    assert.match(cum.detail, /3\.05/);
    const w = bad.find((g) => g.name.startsWith('Worst 30-min'))!;
    assert.equal(w.pass, false);
    assert.match(w.detail, /1 of 2 runs over 8%/);
    assert.match(goalsChecklist(bad), /\*\*FAIL\*\* Cumulative abandon/);
  });

  test('the table has one row per controller and scenario', () => {
    const t = markdownTable(aggregate([job(1, m(2.5, 85.5))]));
    assert.equal(t.split('\n').length, 2 + 4);
    assert.match(t, /\| steady \| Pacekeeper PI \| 2\.50 \| 2\.50 \|/);
  });
});

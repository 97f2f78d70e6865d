import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { updateAnswerShift, INITIAL_ANSWER_SHIFT } from '../../main/tuning/answer-shift.ts';
import { createComplianceController, type ComplianceOptions, type ComplianceState } from '../../main/tuning/compliance-controller.ts';
import type { Bounds, ControllerInput, ControllerSignals } from '../../main/tuning/controller.ts';
import { createFixedRatio } from '../../main/tuning/fixed-ratio.ts';
import { estimateAt, observeLoad, poissonUpperTail, EMPTY_LOAD_MODEL } from '../../main/tuning/load-model.ts';
import { createSeedLaw } from '../../main/tuning/seed-law.ts';
import { createVicidialAdaptive } from '../../main/tuning/vicidial-adaptive.ts';

const BOUNDS: Bounds = { min: 1, max: 6 };

interface Counts {
  live?: number;
  abandoned?: number;
  attempts?: number;
  connects?: number;
}

function signals(o: { window?: Counts; smoothed?: Counts; day?: Counts; last?: Counts; spanSec?: number } = {}): ControllerSignals {
  const c = (x: Counts = {}) => ({ live: x.live ?? 0, abandoned: x.abandoned ?? 0, attempts: x.attempts ?? 0, connects: x.connects ?? 0 });
  return {
    window: { ...c(o.window), samples: 60, spanSec: o.spanSec ?? 1800 },
    smoothed: c(o.smoothed),
    day: { live: o.day?.live ?? 0, abandoned: o.day?.abandoned ?? 0, attempts: o.day?.attempts ?? 0 },
    last: c(o.last),
  };
}

function input(current: number, sig: ControllerSignals, bounds = BOUNDS): ControllerInput {
  return { nowMs: 0, dtSec: 30, current, bounds, signals: sig };
}

/** A cycle's worth of evidence: `live` answers with `abandoned` abandons, everywhere. */
function steady(live: number, abandoned: number, day: Counts = { live: 2000, abandoned: 50 }): ControllerSignals {
  return signals({ window: { live: live * 60, abandoned: abandoned * 60 }, smoothed: { live: live * 20, abandoned: abandoned * 20 }, day, last: { live, abandoned, attempts: live * 5, connects: live } });
}

describe('seed law (the baseline)', () => {
  const seed = createSeedLaw({ targetAnswerRate: 0.2 });
  const sig = (attempts: number, connects: number) => signals({ window: { attempts, connects } });

  test('new = current × target / actual answer rate, rounded to 0.01', () => {
    assert.equal(seed.step(seed.init(2, 0), input(2, sig(100, 25))).value, 1.6);
    assert.equal(seed.step(seed.init(2, 0), input(2, sig(300, 45))).value, 2.67);
  });

  test('clamped to [min, max]', () => {
    assert.equal(seed.step(seed.init(5, 0), input(5, sig(100, 10))).value, 6);
    assert.equal(seed.step(seed.init(1.1, 0), input(1.1, sig(100, 90))).value, 1);
  });

  test('zero guard: no attempts or no connects holds the current value', () => {
    for (const [a, c] of [[0, 0], [100, 0]] as const) {
      const d = seed.step(seed.init(2.34, 0), input(2.34, sig(a, c)));
      assert.equal(d.value, 2.34);
      assert.equal(d.reason, 'hold-zero-guard');
    }
    assert.equal(seed.step(seed.init(2, 0), input(Number.NaN, sig(100, 20))).value, 1, 'NaN current maps to the lower bound');
    assert.throws(() => createSeedLaw({ targetAnswerRate: 0 }), RangeError);
  });
});

describe('compliance controller', () => {
  const run = (c: ReturnType<typeof createComplianceController>, st: ComplianceState, current: number, sig: ControllerSignals) => c.step(st, input(current, sig));

  test('a zero-abandon window never makes a huge step', () => {
    const c = createComplianceController();
    const d = run(c, c.init(2, 0), 2, steady(10, 0, { live: 2000, abandoned: 0 }));
    assert.ok(d.value > 2, 'below setpoint: it goes up');
    assert.ok(d.value <= 2 * 1.1 + 1e-9, `but by at most one step (${d.value})`);
    assert.ok(Number.isFinite(d.terms.estimatePct!) && d.terms.estimatePct! > 0, 'the prior keeps the estimate above 0');
  });

  test('NaN inputs: an invalid current resets to the lower bound; NaN counts hold', () => {
    const c = createComplianceController();
    assert.equal(run(c, c.init(2, 0), Number.NaN, steady(10, 0)).value, 1);
    assert.equal(run(c, c.init(2, 0), -1, steady(10, 0)).reason, 'reset-invalid-current');
    const held = run(c, c.init(2, 0), 2, signals({ smoothed: { live: Number.NaN } }));
    assert.equal(held.reason, 'hold-no-data');
    assert.equal(held.value, 2);
  });

  test('with too little data it holds the value', () => {
    const c = createComplianceController();
    const d = run(c, c.init(3, 0), 3, signals({ smoothed: { live: 2 } }));
    assert.equal(d.value, 3);
    assert.equal(d.reason, 'hold-no-data');
  });

  test('property: every proposal is within the bounds and the step limit, except a flagged, bounded emergency cut', () => {
    const c = createComplianceController();
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 6, noNaN: true }),
        fc.nat(500), fc.nat(50), fc.nat(5000), fc.nat(200), fc.nat(40), fc.nat(5),
        (current, wl, wa, dl, da, ll, la) => {
          const sig = signals({ window: { live: wl, abandoned: Math.min(wa, wl) }, smoothed: { live: wl / 3, abandoned: Math.min(wa, wl) / 3 }, day: { live: dl, abandoned: Math.min(da, dl) }, last: { live: ll, abandoned: Math.min(la, ll), attempts: ll * 5, connects: ll } });
          const d = run(c, c.init(current, 0), current, sig);
          const ratio = d.value / current;
          const stepOk = Math.abs(ratio - 1) <= 0.1 + 1e-9 || (d.emergency === true && ratio < 1 && ratio >= 0.5 - 1e-9);
          return d.value >= BOUNDS.min && d.value <= BOUNDS.max && stepOk;
        },
      ),
      { numRuns: 400, seed: 42 },
    );
  });

  test('clamps: it never proposes above the maximum however low the abandon rate', () => {
    const c = createComplianceController();
    let st = c.init(5.9, 0);
    let v = 5.9;
    for (let i = 0; i < 20; i++) {
      const d = run(c, st, v, steady(10, 0, { live: 2000, abandoned: 0 }));
      st = d.state;
      v = d.value;
    }
    assert.equal(v, 6);
  });

  test('anti-windup: after a long stay at the maximum, the first high-abandon cycle moves down', () => {
    // Aggressive gains make windup obvious if the integral were kept apart from the output.
    const c = createComplianceController({ kiPerMin: 1, rampStep: 0 });
    let st = c.init(6, 0);
    for (let i = 0; i < 200; i++) st = run(c, st, 6, steady(10, 0, { live: 2000, abandoned: 0 })).state;
    const hot: ControllerSignals = signals({ window: { live: 600, abandoned: 60 }, smoothed: { live: 200, abandoned: 20 }, day: { live: 2000, abandoned: 40 }, last: { live: 10, abandoned: 5, attempts: 50, connects: 10 } });
    const d = run(c, st, 6, hot);
    assert.ok(d.value < 6, `it comes off the clamp at once (${d.value}, ${d.reason})`);
  });

  test('steps taper near the ceiling and stop at it', () => {
    const o: Partial<ComplianceOptions> = { kiPerMin: 2, rampStep: 0, loadModel: false, answerShift: false };
    const c = createComplianceController(o);
    const up = (dayAbandoned: number) => {
      const d = run(c, c.init(2, 0), 2, signals({ window: { live: 600, abandoned: 0 }, smoothed: { live: 200, abandoned: 0 }, day: { live: 1000, abandoned: dayAbandoned }, last: { live: 10 } }));
      return d.value / 2 - 1;
    };
    const far = up(10); // day at 1.0 %
    const near = up(26); // day at 2.6 %: taper (3 − 2.6) / 1.0 = 0.4
    const at = up(28); // day at 2.8 %: within the margin: no increase
    assert.ok(Math.abs(far - 0.1) < 1e-9, `far from the ceiling: the full 10 % (${far})`);
    assert.ok(Math.abs(near - 0.04) < 1e-9, `near the ceiling: tapered to 4 % (${near})`);
    assert.ok(at <= 0, `at the ceiling: no increase (${at})`);
  });

  test('day ceiling: at the ceiling with the estimate above setpoint it cuts by the full step', () => {
    const c = createComplianceController({ loadModel: false, answerShift: false });
    const d = run(c, c.init(4, 0), 4, signals({ window: { live: 300, abandoned: 12 }, smoothed: { live: 100, abandoned: 4 }, day: { live: 1000, abandoned: 31 }, last: { live: 5 } }));
    assert.equal(d.reason, 'ceiling-day');
    assert.ok(Math.abs(d.value - 3.6) < 1e-9);
  });

  test('rolling-window guard: a fresh window far over the ceiling cuts', () => {
    const c = createComplianceController({ loadModel: false, answerShift: false });
    let st = c.init(4, 0);
    st = run(c, st, 4, steady(5, 0, { live: 50, abandoned: 0 })).state;
    const d = run(c, st, 4, signals({ window: { live: 200, abandoned: 14 }, smoothed: { live: 60, abandoned: 2 }, day: { live: 50, abandoned: 1 }, last: { live: 5 } }));
    assert.equal(d.reason, 'window-cut');
    assert.ok(d.value < 4);
  });

  test('bumpless: when the platform value changed under it (override), it resumes from there', () => {
    const c = createComplianceController();
    let st = c.init(4, 0);
    for (let i = 0; i < 5; i++) st = run(c, st, 4, steady(10, 0)).state;
    const d = run(c, st, 2.2, steady(10, 0));
    assert.ok(Math.abs(d.value / 2.2 - 1) <= 0.1 + 1e-9, `within one step of 2.2, got ${d.value}`);
  });

  test('moves smaller than the 0.01 write resolution accumulate instead of being lost', () => {
    const c = createComplianceController({ kiPerMin: 0.002, rampStep: 0, answerShift: false });
    let st = c.init(3, 0);
    const written = 3;
    let wrote = false;
    for (let i = 0; i < 40 && !wrote; i++) {
      const d = run(c, st, written, steady(10, 0, { live: 2000, abandoned: 40 }));
      st = d.state;
      if (Math.abs(d.value - written) >= 0.01) wrote = true;
    }
    assert.ok(wrote, 'tiny steps added up to a writable change');
  });

  test('a clear rise in the answer rate cuts the value ahead of the abandons (feed-forward)', () => {
    const c = createComplianceController();
    let st = c.init(4, 0);
    let v = 4;
    const cycle = (connects: number) => {
      const d = run(c, st, v, signals({ window: { live: 2400, abandoned: 60 }, smoothed: { live: 800, abandoned: 20 }, day: { live: 5000, abandoned: 125 }, last: { live: 40, abandoned: 1, attempts: 200, connects } }));
      st = d.state;
      v = Math.round(d.value * 100) / 100;
      return d;
    };
    for (let i = 0; i < 40; i++) cycle(40); // 20 % answer rate
    const before = v;
    let cycles = 0;
    let shift = 0;
    while ((shift = cycle(64).terms.answerShift!) >= 0) assert.ok(++cycles < 10, 'a +60 % answer rate is detected within a few cycles');
    for (let i = 0; i < 12; i++) shift += cycle(64).terms.answerShift!;
    // Detections may come in parts as the evidence window fills; together they undo the rise.
    assert.ok(shift < -0.35 && shift > -0.6, `Σ feed-forward ${shift.toFixed(3)} ≈ ln(1 / 1.6) = −0.47`);
    assert.ok(v < before * 0.8, `value cut from ${before} to ${v}`);
  });
});

describe('answer-shift detector and load model', () => {
  test('no detection in warm-up; a +60 % rise is detected; a fall applies only its share', () => {
    let st = INITIAL_ANSWER_SHIFT;
    const feed = (a: number, c: number) => {
      const r = updateAnswerShift(st, a, c);
      st = r.state;
      return r;
    };
    assert.equal(feed(300, 10).shift, 0, 'warm-up ignores the first window');
    for (let i = 0; i < 40; i++) assert.equal(feed(20, 4).shift, 0, 'steady 20 %: no false alarm');
    let rise = 0;
    for (let i = 0; i < 40 && rise === 0; i++) rise = feed(20, 7).shift;
    assert.ok(rise < -0.2, `rise detected: shift ${rise}`);
    assert.equal(updateAnswerShift(st, Number.NaN, 1).shift, 0, 'invalid counts change nothing');
    assert.equal(updateAnswerShift(st, 5, 9).state, st, 'more connects than attempts is refused');
  });

  test('at a constant load the estimate is the count-weighted rate with the prior', () => {
    const o = { elasticity: 6, halfLifeMin: 30 };
    let m = EMPTY_LOAD_MODEL;
    for (let i = 0; i < 10; i++) m = observeLoad(m, 3, 100, 3, 0, o);
    const est = estimateAt(m, 3, 2.5, 10, o);
    assert.ok(Math.abs(est - (100 * (30 + 0.25)) / (1000 + 10)) < 1e-9);
    assert.ok(estimateAt(m, 3.3, 2.5, 10, o) > est, 'a higher load predicts more abandons');
    assert.equal(estimateAt(EMPTY_LOAD_MODEL, 2, 2.5, 10, o), 2.5, 'no evidence: the setpoint');
  });

  test('Poisson upper tail', () => {
    assert.equal(poissonUpperTail(0, 3), 1);
    assert.ok(Math.abs(poissonUpperTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
    assert.ok(poissonUpperTail(10, 1) < 1e-6);
  });
});

describe('VICIdial replica and fixed ratio', () => {
  /** One 15-s update of a fresh replica at `current`, 10 of 20 agents ready and nobody waiting. */
  const viciStep = (current: number, day: Counts) => {
    const v = createVicidialAdaptive();
    const sig = { ...signals({ day }), agents: { ready: 10, staffed: 20, waiting: 0 } };
    return v.step(v.init(current, 0), { nowMs: 0, dtSec: 15, current, bounds: BOUNDS, signals: sig });
  };

  test('scales by (ready − waiting) / agents every update', () => {
    const d = viciStep(2, { live: 10, abandoned: 0, attempts: 100 });
    assert.equal(d.value, 3);
    assert.equal(d.reason, 'differential');
  });

  test('ADAPT_HARD_LIMIT: over the drop limit today, the level goes to 1.0', () => {
    const d = viciStep(3, { live: 100, abandoned: 4, attempts: 500 });
    assert.equal(d.value, 1);
    assert.equal(d.reason, 'hard-limit');
  });

  test('fixed ratio proposes its value, clamped', () => {
    const f = createFixedRatio(7);
    assert.equal(f.step(null, input(2, signals())).value, 6);
    assert.throws(() => createFixedRatio(0), RangeError);
  });
});

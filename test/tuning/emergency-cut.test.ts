// The emergency cut (the documented exception to the step limit): it fires on a real excess or a
// team-size drop, not on noise, zero windows or tiny volumes; it is bounded, down only, spends its
// evidence, holds rises, and the controller reports it as `emergency-cut` with its statistics.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createComplianceController, type ComplianceState } from '../../main/tuning/compliance-controller.ts';
import type { ControllerInput, ControllerSignals } from '../../main/tuning/controller.ts';
import {
  abandonExcess,
  afterCut,
  cutFor,
  DEFAULT_EMERGENCY_CUT_OPTIONS as O,
  dropCutFor,
  emergencyCheck,
  INITIAL_EMERGENCY,
  observeEmergency,
  throughputDrop,
  type CycleCounts,
  type EmergencyState,
} from '../../main/tuning/emergency-cut.ts';
import { applyGuards } from '../../main/tuning/guards.ts';
import { binomialCycles } from './helpers/noise.ts';

const CEILING = 3;
const SETPOINT = 2.5;
/** A 20-agent team: about 4 live answers per 30-s cycle, 20 dials, a 20 % connect ratio. */
const NORMAL: CycleCounts = { live: 4, abandoned: 0, attempts: 20, connects: 4 };

function feed(s: EmergencyState, cycles: number, c: Partial<CycleCounts> = {}, value = 4): EmergencyState {
  for (let i = 0; i < cycles; i++) s = observeEmergency(s, { ...NORMAL, ...c }, value, 30, O);
  return s;
}


const WINDOW_20 = 240; // live answers in a 30-minute window for 20 agents

describe('emergency cut: abandon excess', () => {
  test('fires on a real excess: 8 abandons in 2 minutes of 16 live answers', () => {
    const s = feed(feed(INITIAL_EMERGENCY, 20), 4, { abandoned: 2 });
    const x = abandonExcess(s, CEILING, WINDOW_20, O);
    assert.equal(x.fire, true);
    assert.ok(x.p < O.alpha / O.horizonsSec.length, `p ${x.p}`);
    assert.equal(x.abandoned, 8);
    const cut = cutFor(x, SETPOINT, 0.1, O);
    assert.ok(cut < Math.log(0.9) && cut >= Math.log(1 - O.maxCut), `a cut beyond the step limit, bounded: ${Math.exp(cut)}`);
  });

  test('never fires on zero-abandon windows, whatever their size', () => {
    for (const live of [0, 1, 4, 50, 500]) {
      const s = feed(INITIAL_EMERGENCY, 30, { live, connects: Math.min(live, 20) });
      const x = abandonExcess(s, CEILING, WINDOW_20, O);
      assert.equal(x.fire, false);
      assert.equal(x.p, 1, 'no abandons: nothing to test');
    }
  });

  test('the prior keeps tiny volumes quiet: 3 abandons of 3 live answers is not enough evidence', () => {
    const s = feed(INITIAL_EMERGENCY, 1, { live: 3, abandoned: 3 });
    const x = abandonExcess(s, CEILING, WINDOW_20, O);
    assert.equal(x.fire, false, `p ${x.p}`);
  });

  test('materiality: the same burst does not threaten a 100-agent window', () => {
    const s = feed(feed(INITIAL_EMERGENCY, 20, { live: 20, attempts: 100, connects: 20 }), 2, { live: 20, abandoned: 5, attempts: 100, connects: 20 });
    assert.equal(abandonExcess(s, CEILING, 5 * WINDOW_20, O).fire, false, '10 of 40: significant, but under 1.5 points of a 1 200-answer window');
    assert.equal(abandonExcess(s, CEILING, WINDOW_20, O).fire, true, 'the same counts do threaten a 240-answer window');
  });

  test('noise: binomial abandons at the setpoint rarely fire (seeded, 5 simulated days)', () => {
    const next = binomialCycles(7, SETPOINT);
    let fires = 0;
    for (let day = 0; day < 5; day++) {
      let s = INITIAL_EMERGENCY;
      for (let cycle = 0; cycle < 960; cycle++) {
        const { live, abandoned } = next();
        s = observeEmergency(s, { live, abandoned, attempts: 5 * live, connects: live }, 4, 30, O);
        if (abandonExcess(s, CEILING, WINDOW_20, O).fire) {
          fires++;
          s = afterCut(s, O, false);
        }
      }
    }
    assert.ok(fires <= 1, `${fires} false alarms in 5 days at the setpoint`);
  });

  test('property: it never fires on fewer than minAbandons abandons, and every cut is bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ live: fc.nat(30), abandoned: fc.nat(10) }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), (cycles, maxStep) => {
        let s = INITIAL_EMERGENCY;
        for (const c of cycles) s = observeEmergency(s, { live: c.live, abandoned: Math.min(c.live, c.abandoned), attempts: 5 * c.live, connects: c.live }, 4, 30, O);
        const x = abandonExcess(s, CEILING, WINDOW_20, O);
        const cut = cutFor(x, SETPOINT, maxStep, O);
        const bounded = cut >= Math.log(1 - O.maxCut) - 1e-12 && cut <= Math.log(1 - maxStep) + 1e-12;
        return bounded && (!x.fire || x.abandoned >= O.minAbandons);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  test('after a cut the evidence is spent and the hold starts', () => {
    const s = feed(feed(INITIAL_EMERGENCY, 20), 4, { abandoned: 2 });
    assert.equal(emergencyCheck(s, CEILING, SETPOINT, 0.1, O).trigger, 'abandons');
    const after = afterCut(s, O, false);
    assert.equal(after.holdSec, O.holdSec);
    assert.equal(emergencyCheck(after, CEILING, SETPOINT, 0.1, O).trigger, undefined, 'the same abandons cannot cut twice');
    assert.equal(observeEmergency(after, NORMAL, 4, 120, O).holdSec, O.holdSec - 120, 'the hold counts down');
  });
});

describe('emergency cut: throughput drop (a shift change)', () => {
  // A bigger team than NORMAL, so four minutes hold enough answers to tell a halving from noise.
  const TEAM: Partial<CycleCounts> = { live: 6, attempts: 30, connects: 6 };
  const HALF: Partial<CycleCounts> = { live: 3, attempts: 15, connects: 3 };
  const warm = () => feed(INITIAL_EMERGENCY, 60, TEAM);

  test('fires when live answers halve at the same connect ratio and value', () => {
    const s = feed(warm(), 8, HALF);
    const d = throughputDrop(s, O);
    assert.equal(d.fire, true, JSON.stringify(d));
    assert.ok(d.share < 0.6);
    const cut = dropCutFor(d.share, 0.1, O);
    assert.ok(cut < Math.log(0.9) && cut >= Math.log(1 - O.maxCut), `cut to ${Math.exp(cut)}`);
    assert.equal(emergencyCheck(s, CEILING, SETPOINT, 0.1, O).trigger, 'throughput');
  });

  test('does not fire when the answer rate fell (the cut would go the wrong way)', () => {
    const s = feed(warm(), 8, { live: 3, attempts: 30, connects: 3 });
    assert.equal(throughputDrop(s, O).fire, false);
  });

  test('does not fire on a drop of our own making (the value was cut)', () => {
    const s = feed(warm(), 8, HALF, 2.4);
    assert.equal(throughputDrop(s, O).fire, false);
  });

  test('does not fire during warm-up or on an ordinary dip', () => {
    assert.equal(throughputDrop(feed(INITIAL_EMERGENCY, 20, HALF), O).fire, false, 'warm-up');
    assert.equal(throughputDrop(feed(warm(), 8, { live: 5, attempts: 25, connects: 5 }), O).fire, false, 'a 17 % dip is noise');
  });

  test('after a throughput cut the reference takes the new rate: the same fall cannot cut twice', () => {
    const s = feed(warm(), 8, HALF);
    let after = afterCut(s, O, true);
    after = feed(after, 8, HALF, 4);
    assert.equal(throughputDrop(after, O).fire, false);
  });
});

describe('emergency cut in the compliance controller', () => {
  // The window guard off: its own cuts past the step are tested in window-guard.test.ts.
  const c = createComplianceController({ windowGuard: false });
  const sig = (last: CycleCounts, window = { live: 200, abandoned: 5 }): ControllerSignals => ({
    window: { ...window, attempts: 1000, connects: 200, samples: 60, spanSec: 1800 },
    smoothed: { live: 80, abandoned: 2, attempts: 400, connects: 80 },
    day: { live: 2000, abandoned: 48, attempts: 10000 },
    last,
  });
  const input = (current: number, s: ControllerSignals): ControllerInput => ({ nowMs: 0, dtSec: 30, current, bounds: { min: 1, max: 10 }, signals: s });
  const settle = (ctl: typeof c, v: number) => {
    let st: ComplianceState = ctl.init(v, 0);
    for (let i = 0; i < 60; i++) st = ctl.step(st, input(v, sig({ ...NORMAL, abandoned: i % 10 === 0 ? 1 : 0 }))).state;
    return st;
  };
  /** Half an hour at the setpoint, then 6 abandons in a minute at value 4. */
  const burst = (ctl: typeof c) => {
    const d = ctl.step(settle(ctl, 4), input(4, sig({ ...NORMAL, abandoned: 3 })));
    return ctl.step(d.state, input(4, sig({ ...NORMAL, abandoned: 3 }, { live: 200, abandoned: 11 })));
  };

  test('a burst of abandons cuts beyond the step limit, flagged and audited as emergency-cut', () => {
    const d = burst(c);
    assert.equal(d.reason, 'emergency-cut');
    assert.equal(d.emergency, true);
    assert.ok(d.value < 4 * 0.9 && d.value >= 4 * (1 - O.maxCut) - 1e-9, `cut to ${d.value}`);
    assert.equal(d.terms.emergencyTrigger, 1);
    assert.ok(d.terms.excessP! < O.alpha, 'the test statistic is in the audited terms');
    // The guard lets the flagged cut through, and only because it is flagged.
    const g = applyGuards({ proposed: d.value, current: 4, bounds: { min: 1, max: 10 }, stepLimit: 0.1, emergencyCut: O.maxCut, minDelta: 0.01, mode: 'auto', dialingMode: 'predictive' });
    assert.equal(g.action === 'write' && g.value, Math.ceil(d.value * 100) / 100);
    assert.equal(applyGuards({ proposed: d.value, current: 4, bounds: { min: 1, max: 10 }, stepLimit: 0.1, minDelta: 0.01, mode: 'auto', dialingMode: 'predictive' }).value, 3.6);
    // Then no rise for holdSec, even with a quiet plant.
    let v = Math.round(d.value * 100) / 100;
    let st = d.state;
    for (let t = 30; t < O.holdSec; t += 30) {
      const h = c.step(st, input(v, sig(NORMAL, { live: 200, abandoned: 11 })));
      assert.ok(h.value <= v + 1e-9, `no rise during the hold (${h.reason})`);
      assert.notEqual(h.emergency, true, 'the spent evidence does not cut again');
      st = h.state;
      v = Math.round(h.value * 100) / 100;
    }
  });

  test('ordinary noise never triggers it, and `emergency: false` turns it off', () => {
    const d = c.step(settle(c, 4), input(4, sig({ ...NORMAL, abandoned: 1 })));
    assert.notEqual(d.emergency, true);
    assert.ok(!d.reason.startsWith('emergency'), d.reason);
    const d2 = burst(createComplianceController({ emergency: false }));
    assert.ok(d2.value >= 4 * 0.9 - 1e-9 && d2.emergency === undefined, `off: at most the normal step (${d2.value}, ${d2.reason})`);
  });

  test('property: rises never exceed the step limit; larger falls are always flagged and bounded', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.2, max: 9, noNaN: true }),
        fc.array(fc.record({ live: fc.nat(12), abandoned: fc.nat(6), attempts: fc.nat(60) }), { minLength: 1, maxLength: 30 }),
        (v0, cycles) => {
          let st: ComplianceState = c.init(v0, 0);
          let v = v0;
          for (const k of cycles) {
            const last = { live: k.live, abandoned: Math.min(k.live, k.abandoned), attempts: Math.max(k.attempts, k.live), connects: k.live };
            const d = c.step(st, input(v, sig(last)));
            const ratio = d.value / v;
            if (ratio > 1.1 + 1e-9) return false;
            if (ratio < 0.9 - 1e-9 && !(d.emergency === true && ratio >= 1 - O.maxCut - 1e-9)) return false;
            st = d.state;
            v = d.value;
          }
          return true;
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});

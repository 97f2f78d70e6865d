import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyGuards, roundToward, type GuardInput } from '../../main/tuning/guards.ts';
import { checkOverride, holdExpired, startMode } from '../../main/tuning/mode-state.ts';
import { cycleSample, readCounts, readStats } from '../../main/tuning/stats-reading.ts';

const base: GuardInput = { proposed: 2.5, current: 2.4, bounds: { min: 1, max: 3 }, stepLimit: 0.1, minDelta: 0.01, mode: 'auto', dialingMode: 'predictive' };

describe('guards', () => {
  test('writes a change that passes every guard, rounded to 0.01', () => {
    assert.deepEqual(applyGuards({ ...base, proposed: 2.5678 }), { action: 'write', value: 2.56, limitedBy: [] });
  });

  test('minimum delta: a move under 0.01 is not written', () => {
    const g = applyGuards({ ...base, proposed: 2.405 });
    assert.equal(g.action, 'unchanged');
    assert.equal(g.value, 2.4);
  });

  test('step limit: ±10 % of the current value', () => {
    assert.deepEqual(applyGuards({ ...base, current: 2, proposed: 2.9 }), { action: 'write', value: 2.2, limitedBy: ['step-limit'] });
    assert.deepEqual(applyGuards({ ...base, current: 2, proposed: 1 }), { action: 'write', value: 1.8, limitedBy: ['step-limit'] });
  });

  test('emergency cut: a flagged cut may go further down, to the emergency limit; a rise never', () => {
    assert.deepEqual(applyGuards({ ...base, current: 3, proposed: 1.8, emergencyCut: 0.5 }), { action: 'write', value: 1.8, limitedBy: [] });
    assert.deepEqual(applyGuards({ ...base, current: 3, proposed: 1.2, emergencyCut: 0.5 }), { action: 'write', value: 1.5, limitedBy: ['step-limit'] });
    assert.deepEqual(applyGuards({ ...base, current: 2, proposed: 2.9, emergencyCut: 0.5 }), { action: 'write', value: 2.2, limitedBy: ['step-limit'] });
    assert.equal(applyGuards({ ...base, current: 3, proposed: 1.8 }).value, 2.7, 'unflagged: the normal ±10 %');
    assert.equal(applyGuards({ ...base, current: 3, proposed: 1.8, emergencyCut: 0.05 }).value, 2.7, 'an emergency limit below the step limit never tightens it');
  });

  test('clamps win over the step limit (a value outside the bounds is brought in)', () => {
    const g = applyGuards({ ...base, current: 0.5, proposed: 0.5 });
    assert.equal(g.action, 'write');
    assert.equal(g.value, 1);
    assert.ok(g.limitedBy.includes('clamp-min'));
    assert.deepEqual(applyGuards({ ...base, current: 2.9, proposed: 3.5 }).value, 3);
  });

  test('modes: paused skips, dry-run records, override (no step limit) writes', () => {
    assert.equal(applyGuards({ ...base, mode: 'paused' }).action, 'skip');
    const d = applyGuards({ ...base, mode: 'dry-run' });
    assert.equal(d.action, 'record');
    assert.equal(d.value, 2.5);
    assert.deepEqual(applyGuards({ ...base, current: 1.2, proposed: 2.8, stepLimit: undefined }), { action: 'write', value: 2.8, limitedBy: [] });
  });

  test('only predictive and power campaigns are ever written; junk proposals hold', () => {
    for (const m of ['preview', 'progressive', 'agentless', 'external', undefined]) {
      const g = applyGuards({ ...base, dialingMode: m });
      assert.equal(g.action, 'skip');
      assert.equal(g.action === 'skip' && g.why, 'not-paced-dialing-mode');
    }
    assert.equal(applyGuards({ ...base, dialingMode: 'power' }).action, 'write');
    for (const p of [Number.NaN, Infinity, -1, 0]) assert.equal(applyGuards({ ...base, proposed: p }).action, 'skip');
  });

  test('property: a written value respects bounds, step limit and min delta', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 3, noNaN: true }), fc.double({ min: 0.01, max: 20, noNaN: true }), (current, proposed) => {
        const g = applyGuards({ ...base, current, proposed });
        if (g.action !== 'write') return g.action === 'unchanged';
        const inBounds = g.value >= 1 && g.value <= 3;
        const stepOk = Math.abs(g.value / current - 1) <= 0.1 + 1e-9 || g.limitedBy.some((l) => l.startsWith('clamp'));
        return inBounds && stepOk && Math.abs(g.value - current) >= 0.01 - 1e-9 && Math.round(g.value * 100) / 100 === g.value;
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  test('rounding goes toward the current value', () => {
    assert.equal(roundToward(2.219, 2), 2.21);
    assert.equal(roundToward(1.781, 2), 1.79);
  });
});

describe('mode state', () => {
  const now = 1_000_000;
  test('no record: the settings mode', () => {
    assert.equal(startMode('dry-run', undefined, now).state.mode, 'dry-run');
  });
  test('an unexpired hold resumes; an expired one ends', () => {
    const rec = { mode: 'override' as const, value: 2.2, holdUntil: now + 60_000, time: '', reason: '', settingsMode: 'auto' as const };
    assert.deepEqual(startMode('auto', rec, now).state, { mode: 'override', override: { value: 2.2, holdUntil: now + 60_000 } });
    const ended = startMode('auto', { ...rec, holdUntil: now - 1 }, now);
    assert.equal(ended.state.mode, 'auto');
    assert.equal(ended.expiredWhileStopped, true);
    assert.equal(startMode('auto', { ...rec, holdUntil: undefined }, now).state.mode, 'override', 'held until released');
  });
  test("an operator's mode survives while the settings mode is unchanged", () => {
    const rec = { mode: 'paused' as const, value: undefined, holdUntil: undefined, time: '', reason: '', settingsMode: 'auto' as const };
    assert.equal(startMode('auto', rec, now).state.mode, 'paused');
    assert.equal(startMode('dry-run', rec, now).state.mode, 'dry-run');
  });
  test('holds and override checks', () => {
    assert.equal(holdExpired({ mode: 'override', override: { value: 2, holdUntil: now } }, now), true);
    assert.equal(holdExpired({ mode: 'override', override: { value: 2, holdUntil: undefined } }, now), false);
    assert.match(checkOverride(9, 5, { min: 1, max: 3 })!, /outside/);
    assert.match(checkOverride(Number.NaN, 5, { min: 1, max: 3 })!, /number/);
    assert.match(checkOverride(2, -1, { min: 1, max: 3 })!, /hold/);
    assert.equal(checkOverride(2, 0, { min: 1, max: 3 }), undefined);
  });
});

describe('stats reading', () => {
  const good = { contactRate: { attempts: 100, connects: 20, connectRatio: 0.2 }, idleAgents: 3, adjustedCallsPerAgent: 2.1, outstandingCalls: 7 };
  test('accepts well-formed stats and refuses missing, NaN, negative and impossible values', () => {
    assert.equal(readStats(good).ok, true);
    const bad: Array<[unknown, RegExp]> = [
      [{ ...good, contactRate: undefined }, /contactRate is missing/],
      [{ ...good, contactRate: { ...good.contactRate, attempts: Number.NaN } }, /attempts is NaN/],
      [{ ...good, idleAgents: -1 }, /idleAgents is negative/],
      [{ ...good, contactRate: { ...good.contactRate, connects: 200 } }, /exceeds/],
      [{ ...good, contactRate: { ...good.contactRate, connectRatio: 1.5 } }, /connectRatio/],
      [{ ...good, idleAgents: '3' }, /not a number/],
      [null, /missing/],
    ];
    for (const [raw, msg] of bad) {
      const r = readStats(raw);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', msg);
    }
    assert.equal(readCounts({ live: 10, abandoned: 11, attempts: 50 }).ok, false);
    assert.equal(readCounts({ live: 10, abandoned: 1, attempts: Number.NaN }).ok, false);
  });
  test('cycle samples are deltas of the running totals', () => {
    const s = readStats(good);
    assert.ok(s.ok);
    const sample = cycleSample({ stats: { attempts: 60, connects: 12 }, day: { live: 30, abandoned: 1, attempts: 150 } }, s.value, { live: 40, abandoned: 2, attempts: 200 });
    assert.deepEqual(sample, { attempts: 40, connects: 8, live: 10, abandoned: 1 });
  });
});

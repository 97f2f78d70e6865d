import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deltaOf, EwmaCounts, SlidingWindow, type CountSample } from '../../main/tuning/signal-window.ts';
import { SignalTracker } from '../../main/tuning/signal-tracker.ts';

const s = (live: number, abandoned: number, attempts = 0, connects = 0): CountSample => ({ live, abandoned, attempts, connects });

describe('SlidingWindow', () => {
  test('averages only over the slots filled so far', () => {
    const w = new SlidingWindow(10);
    w.push(s(4, 0));
    w.push(s(6, 1));
    assert.equal(w.filled, 2);
    assert.equal(w.mean('live'), 5, 'two samples, not ten');
    assert.deepEqual(w.sums(), { live: 10, abandoned: 1, attempts: 0, connects: 0, samples: 2 });
  });

  test('stays correct after the buffer wraps: only the last `capacity` samples count', () => {
    const w = new SlidingWindow(3);
    for (let i = 1; i <= 7; i++) w.push(s(i, i % 2));
    // The last three: 5, 6, 7.
    assert.equal(w.filled, 3);
    assert.deepEqual(w.samples().map((x) => x.live), [5, 6, 7], 'oldest first, after the wrap');
    assert.equal(w.mean('live'), 6);
    assert.equal(w.sums().live, 18);
    assert.equal(w.sums().abandoned, 1 + 0 + 1);
  });

  test('the abandon rate is count-weighted (Σ abandons / Σ live), never an average of ratios', () => {
    const w = new SlidingWindow(5);
    w.push(s(1, 1)); // 100 % over one answer
    w.push(s(99, 0)); // 0 % over 99
    assert.equal(w.abandonRate(), 0.01);
    assert.notEqual(w.abandonRate(), 0.5, 'an average of ratios would say 50 %');
  });

  test('connect ratio is Σ connects / Σ attempts; empty windows have no rate', () => {
    const w = new SlidingWindow(4);
    assert.equal(w.abandonRate(), undefined);
    assert.equal(w.connectRatio(), undefined);
    assert.equal(w.mean('live'), undefined);
    w.push(s(0, 0, 10, 1));
    w.push(s(0, 0, 30, 9));
    assert.equal(w.connectRatio(), 0.25);
    assert.equal(w.abandonRate(), undefined, 'no live answers: undefined, not 0 or NaN');
  });

  test('invalid samples are refused and leave the window unchanged', () => {
    const w = new SlidingWindow(2);
    w.push(s(1, 0));
    for (const bad of [s(Number.NaN, 0), s(1, -1), s(Infinity, 0), { live: 1, abandoned: 0, attempts: undefined as unknown as number, connects: 0 }]) {
      assert.throws(() => w.push(bad), RangeError);
    }
    assert.equal(w.filled, 1);
    assert.throws(() => new SlidingWindow(0), RangeError);
    assert.throws(() => new SlidingWindow(1.5), RangeError);
  });

  test('clear empties the window', () => {
    const w = new SlidingWindow(2);
    w.push(s(1, 1));
    w.clear();
    assert.equal(w.filled, 0);
    assert.equal(w.abandonRate(), undefined);
  });
});

describe('EwmaCounts', () => {
  test('decays older counts by half per half-life and keeps the rate count-weighted', () => {
    const e = new EwmaCounts(60);
    e.push(s(100, 10), 0);
    e.push(s(100, 0), 60);
    // Older half-weighted: (5 + 0) / (50 + 100).
    assert.ok(Math.abs(e.abandonRate()! - 5 / 150) < 1e-12);
    assert.deepEqual(e.sums(), { live: 150, abandoned: 5, attempts: 0, connects: 0 });
  });

  test('refuses invalid input and bad half-lives', () => {
    assert.throws(() => new EwmaCounts(0), RangeError);
    const e = new EwmaCounts(10);
    assert.throws(() => e.push(s(1, 0), -1), RangeError);
    assert.throws(() => e.push(s(1, 2, Number.NaN), 1), RangeError);
    assert.equal(e.abandonRate(), undefined);
  });
});

describe('deltaOf and SignalTracker', () => {
  test('running totals become deltas; a total that goes backwards is a reset', () => {
    assert.equal(deltaOf(undefined, 50), 0);
    assert.equal(deltaOf(50, 80), 30);
    assert.equal(deltaOf(80, 12), 12);
  });

  test('the tracker keeps window, EWMA and day views of the same counts', () => {
    const t = new SignalTracker({ intervalSec: 30, windowMinutes: 1, halfLifeMinutes: 10 });
    t.observe(s(10, 1, 50, 10), 30);
    t.observe(s(10, 0, 50, 10), 30);
    t.observe(s(10, 2, 50, 10), 30);
    const sig = t.signals({ daySec: 90 });
    assert.equal(sig.window.samples, 2, 'a 1-minute window holds two 30-s cycles');
    assert.equal(sig.window.abandoned, 2);
    assert.equal(sig.window.spanSec, 60);
    assert.deepEqual(sig.day, { live: 30, abandoned: 3, attempts: 150 });
    assert.deepEqual(sig.last, s(10, 2, 50, 10));
    assert.equal(sig.daySec, 90);
    t.resetDay({ live: 100, abandoned: 2, attempts: 500 });
    assert.deepEqual(t.signals().day, { live: 100, abandoned: 2, attempts: 500 });
    assert.throws(() => t.observe(s(-1, 0), 30), RangeError);
    assert.deepEqual(t.day, { live: 100, abandoned: 2, attempts: 500 }, 'a refused sample changes nothing');
  });
});

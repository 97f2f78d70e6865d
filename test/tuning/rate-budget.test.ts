import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planSchedule, RequestBudget } from '../../main/tuning/rate-budget.ts';
import { ManualClock } from '../../main/util/clock.ts';

describe('request budget', () => {
  test('never more than the budget in any 60 s; waiters are served in order', async () => {
    const clock = new ManualClock();
    const budget = new RequestBudget(3, clock);
    const started: Array<[number, number]> = [];
    const all = [0, 1, 2, 3, 4, 5, 6].map((i) => budget.take().then(() => started.push([i, clock.now()])));
    await clock.advance(0);
    assert.equal(started.length, 3);
    await clock.advance(60_000);
    assert.equal(started.length, 6);
    await clock.advance(60_000);
    await Promise.all(all);
    assert.deepEqual(started.map(([i]) => i), [0, 1, 2, 3, 4, 5, 6]);
    for (const [, t] of started) assert.ok(started.filter(([, u]) => u > t - 60_000 && u <= t).length <= 3);
  });

  test('a cancelled waiter does not block the ones behind it', async () => {
    const clock = new ManualClock();
    const budget = new RequestBudget(1, clock);
    await budget.take();
    const ac = new AbortController();
    const cancelled = budget.take(ac.signal);
    const next = budget.take();
    ac.abort(new Error('stop'));
    await assert.rejects(cancelled);
    await clock.advance(60_000);
    await next;
    assert.equal(budget.used, 1);
    assert.throws(() => new RequestBudget(0, clock), RangeError);
  });
});

describe('schedule plan', () => {
  test('staggers campaigns across the interval with bounded jitter', () => {
    const p = planSchedule([30, 30, 30], 4, 300, () => 0.5);
    assert.equal(p.stretched, false);
    assert.deepEqual(p.intervalsSec, [30, 30, 30]);
    assert.deepEqual(p.offsetsMs, [1_250, 11_250, 21_250]);
    assert.equal(p.plannedPerMinute, 24);
  });

  test('stretches every interval when the campaigns would not fit the budget share', () => {
    const p = planSchedule(new Array(50).fill(30), 4, 300, () => 0);
    assert.equal(p.stretched, true);
    assert.ok(Math.abs(p.plannedPerMinute - 240) < 1e-9, '80 % of 300');
    assert.ok(p.intervalsSec.every((s) => s > 30));
  });
});

import assert from 'node:assert/strict';
import test from 'node:test';
import { every, ManualClock } from '../../main/util/clock.ts';

test('every() repeats at its interval until cancelled, also from inside the call', async () => {
  const clock = new ManualClock(0);
  const calls: number[] = [];
  const handle = every(clock, 250, () => calls.push(clock.now()));
  await clock.advance(1000);
  assert.deepEqual(calls, [250, 500, 750, 1000]);
  handle.cancel();
  await clock.advance(1000);
  assert.equal(calls.length, 4, 'nothing after cancel');
  assert.equal(clock.pendingTimers, 0, 'no timer left behind');

  const inner: number[] = [];
  const self: { h?: ReturnType<typeof every> } = {};
  self.h = every(clock, 100, () => {
    inner.push(clock.now());
    if (inner.length === 2) self.h?.cancel();
  });
  await clock.advance(1000);
  assert.deepEqual(inner, [2100, 2200]);
  assert.equal(clock.pendingTimers, 0);
});

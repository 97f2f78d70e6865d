import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeLog } from '../../../main/sim/dialer/time-log.ts';
import { ScheduleCursor, changeTimes, valueAt } from '../../../main/sim/dialer/schedule.ts';

test('a time log answers "how many before t" and "last at or before t" across growth and front drops', () => {
  const log = new TimeLog(2, 4);
  const times: number[] = [];
  const push = (t: number) => {
    const o = log.append();
    log.data[o] = t;
    log.data[o + 1] = t * 10;
    times.push(t);
  };
  for (let i = 0; i < 1000; i++) push(Math.floor(i / 3)); // repeated times, as at one instant
  let dropped = 0;
  for (let round = 0; round < 5; round++) {
    log.dropFront(150);
    dropped += 150;
    for (let i = 0; i < 200; i++) push(334 + round * 100 + i / 2);
    const live = times.slice(dropped);
    assert.equal(log.length, live.length);
    for (const t of [live[0]! - 1, live[0]!, live[10]! + 0.5, 400, live.at(-1)!, live.at(-1)! + 1]) {
      assert.equal(log.countBefore(t), live.filter((x) => x < t).length, `countBefore(${t})`);
      const last = log.lastAtOrBefore(t);
      assert.equal(last, live.filter((x) => x <= t).length - 1, `lastAtOrBefore(${t})`);
      if (last >= 0) assert.equal(log.data[log.offset(last) + 1], live[last]! * 10, 'row payload survives compaction');
    }
  }
});

test('schedules: value in force at t, forward cursor with a step back, and merged change times', () => {
  const s = [
    { at: 0, value: 'a' },
    { at: 10, value: 'b' },
    { at: 20, value: 'c' },
  ];
  assert.deepEqual([-1, 0, 9.99, 10, 15, 20, 1e9].map((t) => valueAt(s, t)), ['a', 'a', 'a', 'b', 'b', 'c', 'c']);
  const cur = new ScheduleCursor(s);
  assert.deepEqual([0, 10, 25, 5, 30].map((t) => cur.at(t)), ['a', 'b', 'c', 'a', 'c']);
  assert.deepEqual(changeTimes(s, [{ at: 0, value: 1 }, { at: 15, value: 2 }], undefined), [0, 10, 15, 20]);
});

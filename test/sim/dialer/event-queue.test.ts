import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from '../../../main/sim/dialer/event-queue.ts';
import { Mulberry32 } from '../../../main/sim/dialer/prng.ts';

interface E {
  t: number;
  seq: number;
  id: number;
}

test('events come out by time, ties in insertion order, under interleaved pushes and pops', () => {
  const q = new EventQueue<E>();
  const rng = new Mulberry32(5);
  const reference: E[] = [];
  const popped: E[] = [];
  const expected: E[] = [];
  let id = 0;
  for (let step = 0; step < 6_000; step++) {
    if (rng.next() < 0.6 || q.size === 0) {
      // Coarse times so ties are frequent.
      const e = { t: Math.floor(rng.next() * 50), seq: 0, id: id++ };
      q.push(e);
      reference.push(e);
    } else {
      reference.sort((a, b) => a.t - b.t || a.id - b.id);
      expected.push(reference.shift()!);
      popped.push(q.pop()!);
    }
  }
  assert.deepEqual(
    popped.map((e) => e.id),
    expected.map((e) => e.id),
  );
});

test('an empty queue reports Infinity and pops undefined', () => {
  const q = new EventQueue<E>();
  assert.equal(q.peekTime(), Infinity);
  assert.equal(q.pop(), undefined);
  q.push({ t: 3, seq: 0, id: 1 });
  assert.equal(q.peekTime(), 3);
  assert.equal(q.pop()?.id, 1);
  assert.equal(q.size, 0);
});

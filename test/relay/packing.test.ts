import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { batches, fillTargetFor, packingSlots, planPacking } from '../../main/relay/packing.ts';

const topics = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `t${from + i}`);
const limits = { perChannel: 1000, fillTarget: 800, maxChannels: 19 };

test('topics fill existing channels to the target before a new channel opens', () => {
  const plan = planPacking([{ id: 'a', topics: 790 }], topics(30), limits);
  assert.deepEqual(plan.existing.get('a'), topics(10));
  assert.deepEqual(plan.fresh, [topics(20, 10)]);
  assert.deepEqual(plan.refused, []);
});

test('2,000 unique topics need ceil(2000/800) = 3 channels', () => {
  const plan = planPacking([], topics(2000), limits);
  assert.deepEqual(plan.fresh.map((l) => l.length), [800, 800, 400]);
});

test('at the channel cap the headroom up to the hard cap is used, then topics are refused', () => {
  const l = { perChannel: 10, fillTarget: 8, maxChannels: 2 };
  const plan = planPacking([], topics(25), l);
  assert.deepEqual(plan.fresh.map((x) => x.length), [10, 10]);
  assert.deepEqual(plan.refused, topics(5, 20));
});

test('channels at or over the target take nothing until every channel is there', () => {
  const plan = planPacking([{ id: 'full', topics: 800 }, { id: 'half', topics: 400 }], topics(10), limits);
  assert.equal(plan.existing.has('full'), false);
  assert.deepEqual(plan.existing.get('half'), topics(10));
});

test('fill target is 80% of the cap, at least 1', () => {
  assert.equal(fillTargetFor(1000), 800);
  assert.equal(fillTargetFor(5), 4);
  assert.equal(fillTargetFor(1), 1);
});

test('bad limits throw', () => {
  assert.throws(() => planPacking([], ['a'], { perChannel: 10, fillTarget: 11, maxChannels: 1 }), RangeError);
});

test('property: caps are never exceeded and every topic is placed once or refused', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 400 }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 12 }),
      (loads, n, perChannel, maxChannels) => {
        const existing = loads.slice(0, maxChannels).map((t, i) => ({ id: `c${i}`, topics: Math.min(t, perChannel) }));
        const fillTarget = fillTargetFor(perChannel);
        const want = topics(n);
        const plan = planPacking(existing, want, { perChannel, fillTarget, maxChannels });
        const placed = [...[...plan.existing.values()].flat(), ...plan.fresh.flat()];
        assert.deepEqual([...placed, ...plan.refused].sort(), [...want].sort());
        for (const c of existing) assert.ok(c.topics + (plan.existing.get(c.id)?.length ?? 0) <= perChannel);
        for (const f of plan.fresh) assert.ok(f.length <= perChannel && f.length > 0);
        assert.ok(existing.length + plan.fresh.length <= Math.max(maxChannels, existing.length));
        // Refusal happens only when every allowed channel is full to the hard cap.
        if (plan.refused.length > 0) assert.equal(existing.length + plan.fresh.length, maxChannels);
        // New channels are only opened when the existing ones reached the fill target.
        if (plan.fresh.length > 0) for (const c of existing) assert.ok(c.topics + (plan.existing.get(c.id)?.length ?? 0) >= fillTarget);
      },
    ),
  );
});

test('one channel slot is held back for rotation; busy channels still count', () => {
  assert.equal(packingSlots({ held: 0, accepting: 0, rotating: 0, maxChannels: 20 }), 19);
  // A rotation in flight: old + successor hold two slots, and the old one takes no topics.
  assert.equal(packingSlots({ held: 20, accepting: 18, rotating: 1, maxChannels: 20 }), 18);
  // Two channels closing after a rotation still occupy the platform's cap.
  assert.equal(packingSlots({ held: 20, accepting: 18, rotating: 0, maxChannels: 20 }), 18);
  assert.equal(packingSlots({ held: 1, accepting: 0, rotating: 0, maxChannels: 1 }), 0, 'the only slot is still closing');
  assert.equal(packingSlots({ held: 0, accepting: 0, rotating: 0, maxChannels: 1 }), 1, 'a single channel has no reserve');
});

test('batches split a list without losing order', () => {
  assert.deepEqual(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(batches([], 3), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientQueue, type QueueItem } from '../../main/relay/client-queue.ts';

const item = (topic: string, bytes: number, latestWins = false, tag = ''): QueueItem => ({
  topic, frame: Buffer.from(tag || topic), bytes, latestWins, arrivedAt: 0,
});

test('items leave in the order they came', () => {
  const q = new ClientQueue({ maxBytes: 1000, maxMessages: 100, coalesceAt: 0.7 });
  for (const t of ['a', 'b', 'c']) assert.equal(q.push(item(t, 10), 0), 'queued');
  assert.equal(q.bytes, 30);
  assert.deepEqual([q.shift()?.topic, q.shift()?.topic, q.shift()?.topic, q.shift()], ['a', 'b', 'c', undefined]);
  assert.equal(q.bytes, 0);
});

test('the byte bound counts what the socket already holds', () => {
  const q = new ClientQueue({ maxBytes: 100, maxMessages: 100, coalesceAt: 0.7 });
  assert.equal(q.push(item('a', 40), 50), 'queued');
  assert.equal(q.push(item('b', 20), 50), 'overflow', '50 buffered + 40 + 20 > 100');
});

test('the message bound applies too', () => {
  const q = new ClientQueue({ maxBytes: 1e9, maxMessages: 3, coalesceAt: 0.7 });
  for (let i = 0; i < 3; i++) assert.equal(q.push(item(`t${i}`, 1), 0), 'queued');
  assert.equal(q.push(item('t3', 1), 0), 'overflow');
});

test('below the threshold latest-wins topics queue normally', () => {
  const q = new ClientQueue({ maxBytes: 1000, maxMessages: 100, coalesceAt: 0.7 });
  assert.equal(q.push(item('p', 10, true, 'p1'), 0), 'queued');
  assert.equal(q.push(item('p', 10, true, 'p2'), 0), 'queued');
  assert.equal(q.length, 2);
});

test('above the threshold the newest latest-wins event replaces the queued one in place', () => {
  const q = new ClientQueue({ maxBytes: 100, maxMessages: 100, coalesceAt: 0.7 });
  assert.equal(q.push(item('p', 10, true, 'p1'), 0), 'queued');
  assert.equal(q.push(item('x', 50), 0), 'queued');
  // 60 queued + 20 > 70: pressured.
  assert.equal(q.push(item('p', 20, true, 'p2'), 0), 'coalesced');
  assert.equal(q.length, 2);
  assert.equal(q.bytes, 70);
  const first = q.shift();
  assert.equal(first?.frame.toString(), 'p2', 'the newest value, in the old slot');
  assert.equal(q.shift()?.topic, 'x');
});

test('ordinary topics are never coalesced; over the bound they overflow', () => {
  const q = new ClientQueue({ maxBytes: 100, maxMessages: 100, coalesceAt: 0.7 });
  assert.equal(q.push(item('c', 40), 0), 'queued');
  assert.equal(q.push(item('c', 40), 0), 'queued');
  assert.equal(q.push(item('c', 40), 0), 'overflow');
});

test('a latest-wins topic with nothing queued still overflows when it does not fit', () => {
  const q = new ClientQueue({ maxBytes: 100, maxMessages: 100, coalesceAt: 0.7 });
  assert.equal(q.push(item('x', 90), 0), 'queued');
  assert.equal(q.push(item('p', 20, true), 0), 'overflow');
});

test('a coalesced item that has been written is no longer replaced', () => {
  const q = new ClientQueue({ maxBytes: 100, maxMessages: 100, coalesceAt: 0.1 });
  assert.equal(q.push(item('p', 10, true, 'p1'), 0), 'queued');
  assert.equal(q.shift()?.frame.toString(), 'p1');
  assert.equal(q.push(item('p', 10, true, 'p2'), 0), 'queued');
  assert.equal(q.length, 1);
});

test('long runs compact the backing array and keep order', () => {
  const q = new ClientQueue({ maxBytes: 1e9, maxMessages: 1e6, coalesceAt: 0.99 });
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) q.push(item(`t${next++}`, 1), 0);
    for (let i = 0; i < 90; i++) assert.equal(q.shift()?.topic, `t${expected++}`);
  }
  assert.equal(q.length, next - expected);
});

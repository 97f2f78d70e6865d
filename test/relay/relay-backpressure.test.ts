// Backpressure against the simulator: a client that stops reading is closed with 4008 once its
// queue is over the bound, without costing healthy clients a single event; latest-wins topics
// coalesce instead of overflowing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { presence, queueTopic, startStack, TestClient, until } from './stack.ts';

const PAD = 'x'.repeat(8 * 1024);

/** The client stops reading: its kernel buffers fill, then the relay's queue for it. */
function pause(c: TestClient): Duplex {
  const socket = (c.ws as unknown as { _socket: Duplex })._socket;
  socket.pause();
  return socket;
}

async function publishUntil(publish: (n: number) => void, done: () => boolean, max: number): Promise<number> {
  let n = 0;
  while (!done() && n < max) {
    for (let i = 0; i < 25 && n < max; i++) publish(n++);
    await new Promise((r) => setImmediate(r));
  }
  return n;
}

test('a slow consumer is closed with 4008; healthy clients get every event in order', async (t) => {
  const s = await startStack(t, { relay: { limits: { queueBytes: 256 * 1024 } } });
  const topic = queueTopic(1);
  const healthy = await Promise.all([1, 2, 3].map(() => TestClient.open(s.port, s.token)));
  const slow = await TestClient.open(s.port, s.token);
  t.after(() => [...healthy, slow].forEach((c) => c.close()));
  await Promise.all([...healthy, slow].map((c) => c.subscribe([topic])));
  const socket = pause(slow);

  const sent = await publishUntil((n) => s.sim.control.publish(topic, { n, pad: PAD }), () => s.relay.metrics().closes.slowConsumer > 0, 6000);
  assert.equal(s.relay.metrics().closes.slowConsumer, 1, `closed after ${sent} events`);
  socket.resume();
  const closed = await slow.closed;
  assert.deepEqual([closed.code, closed.reason], [4008, 'slow consumer']);

  await until(() => healthy.every((c) => c.events().length === sent), 20_000, 'healthy clients caught up');
  for (const c of healthy) {
    assert.deepEqual(c.events().map((e) => (e.body as { n: number }).n), Array.from({ length: sent }, (_, i) => i));
    assert.equal(c.ws.readyState, c.ws.OPEN);
  }
  await until(() => s.relay.metrics().sessions.total === 3, 5000, 'the slow session is gone');
  const m = s.relay.metrics();
  assert.ok(m.drops >= 1);
  // The slow client's topic subscription went with it; the topic stays for the others.
  assert.equal(m.upstream.topics, 1);
});

test('latest-wins topics coalesce under pressure instead of overflowing', async (t) => {
  const s = await startStack(t, { relay: { limits: { queueBytes: 256 * 1024 } } });
  const topic = presence(1);
  const fast = await TestClient.open(s.port, s.token);
  const slow = await TestClient.open(s.port, s.token);
  t.after(() => [fast, slow].forEach((c) => c.close()));
  await Promise.all([fast, slow].map((c) => c.subscribe([topic])));
  const socket = pause(slow);

  const sent = await publishUntil((n) => s.sim.control.publish(topic, { n, pad: PAD }), () => s.relay.metrics().coalesced > 200, 8000);
  assert.ok(s.relay.metrics().coalesced > 200, `coalesced ${s.relay.metrics().coalesced} of ${sent}`);
  assert.equal(s.relay.metrics().closes.slowConsumer, 0, 'coalescing kept the queue within its bound');
  socket.resume();
  await until(() => slow.events().some((e) => (e.body as { n: number }).n === sent - 1), 20_000, 'the newest value arrives');
  const ns = slow.events().map((e) => (e.body as { n: number }).n);
  assert.ok(ns.length < sent, 'older values were replaced');
  assert.deepEqual([...ns].sort((a, b) => a - b), ns, 'still in order');
  assert.equal(ns.at(-1), sent - 1);
  // The reference client ends on the newest value too (if this busy test process let it fall
  // behind, it was coalesced as well, which is the policy working).
  await until(() => fast.events().some((e) => (e.body as { n: number }).n === sent - 1), 20_000, 'the fast client got the newest value');
  const fastNs = fast.events().map((e) => (e.body as { n: number }).n);
  assert.deepEqual([...fastNs].sort((a, b) => a - b), fastNs);
  assert.equal(fast.ws.readyState, fast.ws.OPEN);
  assert.equal(slow.ws.readyState, slow.ws.OPEN);
});

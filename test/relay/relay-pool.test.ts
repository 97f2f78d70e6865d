// The upstream pool against the simulator's Notifications API: dedup, packing, the platform's
// 1,000-topic and 20-channel limits, linger, and per-topic ordering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock } from '../../main/util/clock.ts';
import { presence, queueTopic, startStack, TestClient, until } from './stack.ts';

const subscriptionCalls = (s: { sim: { control: { counters(): { requests: Record<string, number> } } } }) => {
  const r = s.sim.control.counters().requests;
  return Object.entries(r).filter(([k]) => k.includes('/subscriptions')).reduce((a, [, v]) => a + v, 0);
};

test('N clients on the same topic produce one upstream subscription', async (t) => {
  const s = await startStack(t);
  const clients = await Promise.all(Array.from({ length: 40 }, () => TestClient.open(s.port, s.token)));
  t.after(() => clients.forEach((c) => c.close()));
  const acks = await Promise.all(clients.map((c) => c.subscribe([presence(7), queueTopic(1)])));
  for (const a of acks) assert.deepEqual(a.topics?.sort(), [presence(7), queueTopic(1)].sort());
  const channels = s.sim.control.channels();
  assert.equal(channels.length, 1);
  assert.deepEqual(channels[0]?.topics.sort(), [presence(7), queueTopic(1)].sort());
  assert.ok(subscriptionCalls(s) <= 2, `subscription calls: ${subscriptionCalls(s)}`);
  // One upstream event reaches every client once.
  assert.equal(s.sim.control.publish(presence(7), { v: 1 }), 1);
  await Promise.all(clients.map((c) => c.next((m) => m.type === 'event' && m.topic === presence(7))));
  assert.ok(clients.every((c) => c.events(presence(7)).length === 1));
  assert.equal(s.relay.metrics().upstream.topics, 2);
});

test('topics are packed onto channels with room: ceil(unique / fill) channels, caps never exceeded', async (t) => {
  const s = await startStack(t, { relay: { pool: { maxTopicsPerChannel: 10 } } });
  const c = await TestClient.open(s.port, s.token);
  t.after(() => c.close());
  const topics = Array.from({ length: 25 }, (_, i) => presence(i));
  const ack = await c.subscribe(topics);
  assert.equal(ack.topics?.length, 25);
  const channels = s.sim.control.channels();
  assert.equal(channels.length, Math.ceil(25 / 8), 'filled to 80% of 10 before opening another');
  assert.ok(channels.every((ch) => ch.topics.length <= 10 && ch.connected));
  // Each topic is subscribed exactly once across the pool.
  const all = channels.flatMap((ch) => ch.topics);
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual(all.sort(), [...topics].sort());
});

test('the 1,000-topic platform limit: 1,200 topics use two channels and the platform never says 400', async (t) => {
  const s = await startStack(t);
  const clients = await Promise.all([0, 1, 2].map(() => TestClient.open(s.port, s.token)));
  t.after(() => clients.forEach((c) => c.close()));
  // Three tools with 400 topics each (a frame holds at most 1,000 topics and 64 KiB).
  const acks = await Promise.all(clients.map((c, k) => c.subscribe(Array.from({ length: 400 }, (_, i) => presence(k * 400 + i)))));
  assert.equal(acks.reduce((n, a) => n + (a.topics?.length ?? 0), 0), 1200);
  const channels = s.sim.control.channels();
  assert.deepEqual(channels.map((ch) => ch.topics.length).sort((a, b) => b - a), [800, 400]);
  assert.equal(s.sim.control.counters().statuses['400'] ?? 0, 0);
});

test('the 20-channel platform limit: the pool stays within it and refuses topics beyond capacity', async (t) => {
  // 2 topics per channel: 20 channels minus one held back for rotation = 38 topics of capacity.
  const s = await startStack(t, { relay: { pool: { maxTopicsPerChannel: 2, maxChannels: 20, overlapMs: 50 } } });
  const c = await TestClient.open(s.port, s.token);
  t.after(() => c.close());
  const topics = Array.from({ length: 50 }, (_, i) => presence(i));
  const ack = await c.subscribe(topics);
  assert.equal(ack.topics?.length, 38);
  assert.equal(ack.rejected?.length, 12);
  assert.ok(ack.rejected?.every((r) => r.reason === 'capacity'));
  const channels = s.sim.control.channels();
  assert.equal(channels.length, 19);
  assert.ok(channels.every((ch) => ch.connected), 'nothing was evicted');
  assert.equal(s.upstreamEvents.filter((e) => e.kind === 'channel-lost').length, 0);

  // Rotating all 19 channels make-before-break never holds more than 20 at once.
  let most = 0;
  const off = s.relay.on('upstream', () => {
    most = Math.max(most, s.sim.control.channels().filter((ch) => ch.connected).length);
  });
  s.relay.rotateUpstream('test');
  await until(() => s.relay.metrics().upstream.rotations === 19, 30_000, '19 rotations');
  off();
  assert.ok(most <= 20, `held ${most} channels at once`);
  assert.equal(s.upstreamEvents.filter((e) => e.kind === 'channel-lost').length, 0, 'no channel was evicted');
  await until(() => s.sim.control.channels().filter((ch) => ch.connected).length === 19, 5000, 'old channels closed');
});

test('when the last subscriber leaves, the topic is unsubscribed upstream after the linger', async (t) => {
  const s = await startStack(t, { relay: { pool: { lingerMs: 300 } } });
  const a = await TestClient.open(s.port, s.token);
  const b = await TestClient.open(s.port, s.token);
  await a.subscribe([presence(1), presence(2)]);
  await b.subscribe([presence(1)]);
  a.send({ type: 'unsubscribe', id: 'u', topics: [presence(1), presence(2)] });
  await a.next((m) => m.type === 'unsubscribed');
  b.close();
  // Still there during the linger (a reload would find it warm) …
  assert.deepEqual(s.sim.control.channels().flatMap((ch) => ch.topics).sort(), [presence(1), presence(2)].sort());
  // … then gone; the empty channel is closed.
  await until(() => s.sim.control.channels().every((ch) => !ch.connected), 5000, 'channel released');
  assert.equal(s.relay.metrics().upstream.topics, 0);
  // A resubscription inside the linger window reuses the upstream subscription.
  await a.subscribe([presence(3)]);
  a.send({ type: 'unsubscribe', topics: [presence(3)] });
  await a.subscribe([presence(3)]);
  assert.equal(s.sim.control.channels().filter((ch) => ch.connected).length, 1);
  a.close();
});

test('per-topic order is preserved, with consecutive seq numbers', async (t) => {
  const s = await startStack(t, { relay: { pool: { maxTopicsPerChannel: 2 } } });
  const clients = await Promise.all(Array.from({ length: 5 }, () => TestClient.open(s.port, s.token)));
  t.after(() => clients.forEach((c) => c.close()));
  const topics = [presence(1), presence(2), presence(3), queueTopic(1)];
  await Promise.all(clients.map((c) => c.subscribe(topics)));
  assert.ok(s.sim.control.channels().length >= 2, 'topics spread over several channels');
  const perTopic = 150;
  for (let i = 0; i < perTopic; i++) for (const topic of topics) s.sim.control.publish(topic, { i });
  await until(() => clients.every((c) => c.events().length === perTopic * topics.length), 10_000, 'all events');
  for (const c of clients) {
    for (const topic of topics) {
      const evs = c.events(topic);
      assert.deepEqual(evs.map((e) => (e.body as { i: number }).i), Array.from({ length: perTopic }, (_, i) => i));
      assert.deepEqual(evs.map((e) => e.seq), Array.from({ length: perTopic }, (_, i) => i + 1));
    }
  }
});

test('429 on channel creation: the pool waits out Retry-After and then subscribes', async (t) => {
  // Everything runs 30× faster, so the platform's one-minute rate window passes in 2 s.
  const s = await startStack(t, { clock: new ScaledClock(30) });
  // Spend this token's whole budget, so the relay's channel POST is answered 429.
  s.sim.control.setRateLimit(1);
  await s.client.listChannels();
  const c = await TestClient.open(s.port, s.token);
  t.after(() => c.close());
  c.send({ type: 'subscribe', id: 's', topics: [presence(1)] });
  await until(() => s.upstreamEvents.some((e) => e.kind === 'upstream-error' && e.status === 429), 5000, 'a 429');
  const err = s.upstreamEvents.find((e) => e.kind === 'upstream-error' && e.status === 429);
  assert.ok(err && err.kind === 'upstream-error' && err.operation === 'create-channel');
  assert.ok(err.retryInMs >= 30_000, `waits out Retry-After (${err.retryInMs} ms of platform time)`);
  const ack = await c.next((m) => m.type === 'subscribed');
  assert.deepEqual(ack.pending, [presence(1)], 'acknowledged as pending while upstream is throttled');
  assert.equal(s.sim.control.counters().rateLimited >= 1, true);
  // Once the window opens again, the topic goes live and the client is told with a gap marker.
  s.sim.control.setRateLimit(300);
  const late = await c.next((m) => m.type === 'gap' && m.reason === 'subscribed-late', 15_000);
  assert.deepEqual(late.topics, [presence(1)]);
  s.sim.control.publish(presence(1), { ok: true });
  await c.next((m) => m.type === 'event');
});

// Upstream churn against the simulator: make-before-break rotation (requested, channel expiry,
// token rotation), v2.system.socket_closing, and outages that end in `gap` markers. Downstream
// clients must never be disconnected by any of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../main/sim/index.ts';
import { presence, queueTopic, startStack, TestClient, until, type Stack } from './stack.ts';

const TOPICS = [presence(1), presence(2), queueTopic(1)];

/** Publishes {n} on every topic every `everyMs` until stopped; returns how many rounds went out. */
function publisher(sim: RunningSimulator, topics: string[], everyMs = 3) {
  let n = 0;
  const timer = setInterval(() => {
    for (const t of topics) sim.control.publish(t, { n });
    n++;
  }, everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      return n;
    },
  };
}

async function clients(s: Stack, count: number): Promise<TestClient[]> {
  const list = await Promise.all(Array.from({ length: count }, () => TestClient.open(s.port, s.token)));
  await Promise.all(list.map((c) => c.subscribe(TOPICS)));
  return list;
}

/** Every client got rounds 0..rounds-1 on every topic exactly once, in order. */
async function assertComplete(list: TestClient[], rounds: number): Promise<void> {
  await until(() => list.every((c) => c.events().length >= rounds * TOPICS.length), 10_000, 'all events delivered');
  const expected = Array.from({ length: rounds }, (_, i) => i);
  for (const c of list) {
    for (const topic of TOPICS) assert.deepEqual(c.events(topic).map((e) => (e.body as { n: number }).n), expected, topic);
    assert.equal(c.messages.filter((m) => m.type === 'gap').length, 0, 'no gap');
    assert.equal(c.ws.readyState, c.ws.OPEN, 'never disconnected');
  }
}

test('requested rotation is make-before-break: no lost, duplicated or reordered event', async (t) => {
  const s = await startStack(t);
  const list = await clients(s, 3);
  t.after(() => list.forEach((c) => c.close()));
  const before = s.sim.control.channels().map((c) => c.id);
  const pub = publisher(s.sim, TOPICS);
  await new Promise((r) => setTimeout(r, 100));
  s.relay.rotateUpstream('test');
  await until(() => s.relay.metrics().upstream.rotations === 1, 5000, 'rotation');
  await until(() => s.relay.metrics().upstream.channels === 1 && s.relay.metrics().upstream.closingChannels === 0, 5000, 'old channel closed');
  await new Promise((r) => setTimeout(r, 100));
  const rounds = pub.stop();
  await assertComplete(list, rounds);
  const after = s.sim.control.channels().filter((c) => c.connected).map((c) => c.id);
  assert.equal(after.length, 1);
  assert.ok(!before.includes(after[0] as string), 'a new platform channel carries the topics');
  const up = s.relay.metrics().upstream;
  assert.ok(up.duplicates + up.overlapIgnored > 0, 'the overlap was real: both channels carried the topics');
});

test('channel expiry triggers a rotation before the platform drops the channel', async (t) => {
  const s = await startStack(t, { sim: { limits: { channelLifetimeMs: 3000 } }, relay: { pool: { rotateBeforeExpiryMs: 1500, overlapMs: 200 } } });
  const list = await clients(s, 2);
  t.after(() => list.forEach((c) => c.close()));
  const pub = publisher(s.sim, TOPICS);
  await until(() => s.upstreamEvents.some((e) => e.kind === 'rotated' && e.why === 'expiry'), 5000, 'expiry rotation');
  await new Promise((r) => setTimeout(r, 300));
  const rounds = pub.stop();
  await assertComplete(list, rounds);
  assert.equal(s.upstreamEvents.filter((e) => e.kind === 'channel-lost').length, 0);
});

test('token rotation: channels move to the new token before the old one dies', async (t) => {
  // Tokens live 6 s; the client refreshes at 85% (5.1 s) and the relay rotates on the new token.
  const s = await startStack(t, { sim: { tokenLifetimeSec: 6 }, relay: { pool: { overlapMs: 200 } } });
  const list = await clients(s, 2);
  t.after(() => list.forEach((c) => c.close()));
  const pub = publisher(s.sim, TOPICS, 5);
  await until(() => s.upstreamEvents.some((e) => e.kind === 'rotated' && e.why === 'token-rotated'), 9000, 'token rotation');
  // Past the old token's death: its channel would have closed with 4001 by now.
  await new Promise((r) => setTimeout(r, 1500));
  const rounds = pub.stop();
  await assertComplete(list, rounds);
  assert.equal(s.upstreamEvents.filter((e) => e.kind === 'channel-lost').length, 0, 'no channel died with its token');
});

test('v2.system.socket_closing: reconnect to the same connectUri, nothing lost', async (t) => {
  const s = await startStack(t);
  const list = await clients(s, 2);
  t.after(() => list.forEach((c) => c.close()));
  const [before] = s.sim.control.channels();
  const pub = publisher(s.sim, TOPICS);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(s.sim.control.socketClosing({ graceMs: 5000 }), 1);
  await until(() => s.relay.metrics().upstream.socketClosing === 1, 5000, 'socket_closing handled');
  await new Promise((r) => setTimeout(r, 150));
  const rounds = pub.stop();
  await assertComplete(list, rounds);
  const after = s.sim.control.channels();
  assert.deepEqual(after.map((c) => [c.id, c.connected]), [[before?.id, true]], 'same channel, connected again');
  assert.equal(s.relay.metrics().upstream.rotations, 0);
  assert.equal(s.sim.control.counters().websocket.connections, 2, 'one reconnect');
});

test('an outage ends in a gap marker; clients stay connected; resubscription is batched', async (t) => {
  const s = await startStack(t, { relay: { pool: { subscribeBatch: 10, backoffBaseMs: 50 } } });
  const c = await TestClient.open(s.port, s.token);
  t.after(() => c.close());
  const topics = Array.from({ length: 35 }, (_, i) => presence(i));
  await c.subscribe(topics);
  s.sim.control.resetCounters();
  // The platform drops every channel (as after eviction or a platform incident).
  assert.equal(s.sim.control.closeChannels(), 1);
  const gap = await c.next((m) => m.type === 'gap', 10_000);
  assert.equal(gap.reason, 'upstream-reconnected');
  assert.deepEqual(gap.topics?.sort(), [...topics].sort());
  assert.equal(typeof gap.since, 'number');
  assert.equal(c.ws.readyState, c.ws.OPEN);
  const calls = Object.entries(s.sim.control.counters().requests).filter(([k]) => k.includes('/subscriptions'));
  const total = calls.reduce((n, [, v]) => n + v, 0);
  assert.equal(total, 4, `35 topics in batches of 10: ${JSON.stringify(calls)}`);
  assert.equal(s.sim.control.channels().find((ch) => ch.connected)?.topics.length, 35);
  s.sim.control.publish(presence(3), { after: true });
  const ev = await c.next((m) => m.type === 'event');
  assert.deepEqual(ev.body, { after: true });
});

test('token expiry kills the channels; the relay gets a new token and a new channel', async (t) => {
  const s = await startStack(t, { relay: { pool: { backoffBaseMs: 50 } } });
  const list = await clients(s, 2);
  t.after(() => list.forEach((c) => c.close()));
  assert.ok(s.sim.control.expireTokens() >= 1);
  for (const c of list) {
    const gap = await c.next((m) => m.type === 'gap', 10_000);
    assert.deepEqual(gap.topics?.sort(), [...TOPICS].sort());
  }
  s.sim.control.publish(presence(1), { alive: 1 });
  for (const c of list) {
    await c.next((m) => m.type === 'event');
    assert.equal(c.ws.readyState, c.ws.OPEN);
  }
  assert.ok(s.upstreamEvents.some((e) => e.kind === 'channel-lost'));
  assert.ok(s.client.tokens.requests >= 2, 'a new token was fetched');
});

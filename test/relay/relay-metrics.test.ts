// The relay's numbers for the bridge (issue #6 "Metrics for the bridge"), and the listening port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { relayHealthView } from '../../main/core/state-view.ts';
import { presence, queueTopic, startStack, TestClient, until } from './stack.ts';

test('metrics report sessions, upstream channels and topics, queue depth, drops, slow closes and latency p50/p99', async (t) => {
  const s = await startStack(t);
  const a = await TestClient.open(s.port, s.token);
  const b = await TestClient.open(s.port, s.token);
  t.after(() => [a, b].forEach((c) => c.close()));
  await a.subscribe([presence(1), queueTopic(1)]);
  await b.subscribe([presence(1)]);
  for (let i = 0; i < 5; i++) s.sim.control.publish(presence(1), { i });
  await until(() => a.events().length === 5 && b.events().length === 5, 5000, 'events');

  const m = s.relay.metrics();
  assert.deepEqual([m.sessions.total, m.sessions.relay, m.upstream.channels, m.topics], [2, 2, 1, 2]);
  assert.equal(m.deliveries, 10, 'events only; control frames are not deliveries');
  assert.equal(m.latencyMs.count, 10);
  assert.ok(m.latencyMs.p50 >= 0 && m.latencyMs.p50 <= m.latencyMs.p99, JSON.stringify(m.latencyMs));
  assert.ok(m.queue.depthP99Bytes >= 0 && m.queue.depthP99Bytes <= m.queue.depthMaxBytes);
  assert.deepEqual([m.drops, m.closes.slowConsumer], [0, 0]);

  // What the bridge shows (preload/contract.ts RelayHealth).
  assert.deepEqual(relayHealthView(m, s.port), {
    enabled: true, port: s.port, sessions: 2, upstreamChannels: 1, topics: 2, queueDepthP99: m.queue.depthP99Bytes,
    drops: 0, slowConsumerCloses: 0, latencyP50Ms: m.latencyMs.p50, latencyP99Ms: m.latencyMs.p99,
  });
  // A window reset restarts the latency histogram, not the counters.
  s.relay.metrics({ resetWindow: true });
  const after = s.relay.metrics();
  assert.deepEqual([after.latencyMs.count, after.deliveries], [0, 10]);
});

test('a configured port is used; a port already taken fails start loudly', async (t) => {
  const squat = createServer();
  await new Promise<void>((r) => squat.listen(0, '127.0.0.1', r));
  t.after(() => squat.close());
  const taken = (squat.address() as { port: number }).port;
  await assert.rejects(startStack(t, { relay: { port: taken } }), (e: NodeJS.ErrnoException) => e.code === 'EADDRINUSE');

  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const port = (free.address() as { port: number }).port;
  await new Promise<void>((r) => free.close(() => r()));
  const s = await startStack(t, { relay: { port } });
  assert.equal(s.port, port);
  assert.equal(s.relay.port, port);
});

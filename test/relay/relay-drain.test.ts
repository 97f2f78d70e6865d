// Drain on stop/restart, and the heartbeat that drops dead and idle clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { RELAY_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../main/relay/index.ts';
import { presence, rawUpgrade, startStack, TestClient, until } from './stack.ts';

test('restart drain: 503 for new upgrades, queued events flushed, then 1012 to everyone, then upstream closed', async (t) => {
  const s = await startStack(t);
  const list = await Promise.all(Array.from({ length: 150 }, () => TestClient.open(s.port, s.token)));
  await Promise.all(list.map((c) => c.subscribe([presence(1)])));
  // One client has stopped reading, so its events sit in the relay's queue when the drain starts.
  const lagging = list[0] as TestClient;
  await lagging.subscribe([presence(2)]);
  const socket = (lagging.ws as unknown as { _socket: Duplex })._socket;
  socket.pause();
  const pad = 'y'.repeat(16 * 1024);
  let n = 0;
  while (s.relay.metrics().queue.depthMaxBytes < 200 * 1024 && n < 3000) {
    s.sim.control.publish(presence(2), { n: n++, pad });
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(s.relay.metrics().queue.depthMaxBytes >= 200 * 1024, 'a backlog built up');
  s.sim.control.publish(presence(1), { last: true });
  await until(() => list.slice(1).every((c) => c.events(presence(1)).length === 1), 10_000, 'the others got the last event');

  const stopping = s.relay.stop({ reason: 'restart', deadlineMs: 3000, detail: 'update' });
  assert.equal(await rawUpgrade(s.port, '/', { authorization: `Bearer ${s.token}` }), 503);
  socket.resume();
  const report = await stopping;
  const closes = await Promise.all(list.map((c) => c.closed));
  assert.ok(closes.every((c) => c.code === 1012 && c.reason === 'relay restarting: update'), JSON.stringify(closes.slice(0, 3)));
  assert.deepEqual([report.sessions, report.closedGracefully, report.terminated], [150, 150, 0]);
  // The lagging client got every queued event before the close frame.
  assert.deepEqual(lagging.events(presence(2)).map((e) => (e.body as { n: number }).n), Array.from({ length: n }, (_, i) => i));
  assert.equal(lagging.events(presence(1)).length, 1);
  await until(() => s.sim.control.channels().every((ch) => !ch.connected), 5000, 'upstream closed');
});

test('shutdown drain: 1001; a client that never reads is terminated at the deadline', async (t) => {
  const s = await startStack(t);
  const ok = await TestClient.open(s.port, s.token);
  const stuck = await TestClient.open(s.port, s.token);
  await Promise.all([ok, stuck].map((c) => c.subscribe([presence(1)])));
  (stuck.ws as unknown as { _socket: Duplex })._socket.pause();
  const pad = 'z'.repeat(16 * 1024);
  // Enough data that the stuck client cannot have read up to the close frame.
  for (let i = 0; i < 600; i++) s.sim.control.publish(presence(1), { i, pad });
  await until(() => s.relay.metrics().queue.depthMaxBytes > 64 * 1024, 10_000, 'a backlog');
  const report = await s.relay.stop({ reason: 'shutdown', deadlineMs: 300 });
  assert.equal((await ok.closed).code, 1001);
  assert.deepEqual([report.sessions, report.terminated], [2, 1]);
  assert.ok(report.drainMs < 2000, 'the deadline bounds the drain');
  stuck.ws.terminate();
});

test('a client that does not answer pings is dropped; idle sessions are closed', async (t) => {
  const s = await startStack(t, { relay: { heartbeat: { pingIntervalMs: 150, pongTimeoutMs: 100, idleTimeoutMs: 250 } } });
  const healthy = await TestClient.open(s.port, s.token);
  t.after(() => healthy.close());
  await healthy.subscribe([presence(1)]);
  const idle = await TestClient.open(s.port, s.token);
  const deaf = new WebSocket(`ws://127.0.0.1:${s.port}/`, [RELAY_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${s.token}`], { autoPong: false });
  const deafClosed = new Promise<number>((r) => deaf.on('close', (code) => r(code)));
  await new Promise((r) => deaf.once('open', r));
  deaf.send(JSON.stringify({ type: 'subscribe', topics: [presence(2)] }));

  assert.equal(await deafClosed, 1006, 'terminated without a close frame');
  const idleClose = await idle.closed;
  assert.deepEqual([idleClose.code, idleClose.reason], [4010, 'idle: no subscriptions']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(healthy.ws.readyState, WebSocket.OPEN, 'answers pings and has subscriptions');
  const m = s.relay.metrics();
  assert.deepEqual([m.closes.noPong, m.closes.idle], [1, 1]);
});

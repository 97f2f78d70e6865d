// Genesys-compatible mode: a tool written for the Notifications API (here Pacekeeper's own Genesys
// client, unchanged) pointed at the relay instead of the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createGenesysClient, type GenesysClient } from '../../main/genesys/client.ts';
import { createNetLayer, type NetWebSocket } from '../../main/net/index.ts';
import { presence, queueTopic, startStack, until, type Stack } from './stack.ts';

async function tool(t: { after(fn: () => unknown): void }, s: Stack): Promise<GenesysClient> {
  const secrets = { get: async () => s.token };
  const net = await createNetLayer({ config: { proxy: { mode: 'direct' } }, secrets });
  t.after(() => net.close());
  const base = `http://127.0.0.1:${s.port}`;
  const client = createGenesysClient({ net, apiBaseUrl: base, loginBaseUrl: base, clientId: 'legacy-tool', secrets });
  t.after(() => client.close());
  return client;
}

function frames(ws: NetWebSocket): Array<Record<string, unknown>> {
  const got: Array<Record<string, unknown>> = [];
  ws.addEventListener('message', (ev) => got.push(JSON.parse(String(ev.data)) as Record<string, unknown>));
  return got;
}

test('a Notifications API tool works unchanged against the relay', async (t) => {
  const s = await startStack(t, { relay: { heartbeat: { compatHeartbeatMs: 150 } } });
  const legacy = await tool(t, s);
  const ch = await legacy.createChannel();
  assert.match(ch.connectUri, new RegExp(`^ws://127\\.0\\.0\\.1:${s.port}/channels/`));
  const subs = await legacy.putSubscriptions(ch.id, [presence(1), queueTopic(1)]);
  assert.deepEqual(subs.map((x) => x.id).sort(), [presence(1), queueTopic(1)].sort());
  assert.deepEqual((await legacy.getSubscriptions(ch.id)).map((x) => x.id).sort(), [presence(1), queueTopic(1)].sort());

  const ws = await legacy.openChannelSocket(ch);
  t.after(() => ws.close());
  const got = frames(ws);
  s.sim.control.publish(presence(1), { presence: 'On Queue' });
  await until(() => got.some((f) => f.topicName === presence(1)), 5000, 'event');
  const ev = got.find((f) => f.topicName === presence(1));
  // The platform's envelope, byte for byte as the platform sent it to the relay.
  assert.deepEqual(Object.keys(ev ?? {}), ['topicName', 'version', 'eventBody', 'metadata']);
  assert.deepEqual(ev?.eventBody, { presence: 'On Queue' });
  assert.equal(typeof (ev?.metadata as { CorrelationId?: unknown }).CorrelationId, 'string');

  ws.send('{"message":"ping"}');
  await until(() => got.some((f) => (f.eventBody as { message?: string })?.message === 'pong'), 5000, 'pong');
  await until(() => got.some((f) => (f.eventBody as { message?: string })?.message === 'WebSocket Heartbeat'), 5000, 'heartbeat');

  // Relay and compat clients share one upstream subscription per topic.
  assert.equal(s.sim.control.channels().length, 1);
  await legacy.addSubscriptions(ch.id, [presence(2)]);
  assert.deepEqual(s.sim.control.channels()[0]?.topics.sort(), [presence(1), presence(2), queueTopic(1)].sort());
});

test('compat channels follow the platform rules: one socket per channel, 1,000 topics, 403 for foreign topics', async (t) => {
  const s = await startStack(t, { relay: { pool: { lingerMs: 0 } } });
  const legacy = await tool(t, s);
  const ch = await legacy.createChannel();
  await legacy.putSubscriptions(ch.id, [presence(1)]);
  const first = await legacy.openChannelSocket(ch);
  const firstClosed = new Promise<number>((r) => first.addEventListener('close', (ev) => r(ev.code)));
  const second = await legacy.openChannelSocket(ch);
  t.after(() => second.close());
  assert.equal(await firstClosed, 1000, 'a second socket replaces the first');

  const tooMany = Array.from({ length: 1001 }, (_, i) => presence(i));
  await assert.rejects(legacy.putSubscriptions(ch.id, tooMany), (e: { status?: number }) => e.status === 400);
  const foreign = 'v2.users.00000000-0000-4000-8000-000000000001.conversations';
  await assert.rejects(legacy.putSubscriptions(ch.id, [foreign]), (e: { status?: number }) => e.status === 403);
  const kept = await legacy.putSubscriptions(ch.id, [foreign, presence(5)], { ignoreErrors: true });
  assert.deepEqual(kept.map((x) => x.id), [presence(5)]);

  await legacy.deleteSubscriptions(ch.id);
  assert.deepEqual(await legacy.getSubscriptions(ch.id), []);
  await until(() => s.relay.metrics().upstream.topics === 0, 5000, 'upstream released');
  await assert.rejects(legacy.getSubscriptions('relay-nope'), (e: { status?: number }) => e.status === 404);
});

test('the token endpoint only hands out the token to a caller that has it', async (t) => {
  const s = await startStack(t);
  const post = (auth?: string) =>
    fetchLike(s.port, '/oauth/token', auth ? { authorization: auth } : {});
  assert.equal(await post(), 401);
  assert.equal(await post(`Basic ${Buffer.from('tool:wrong-secret-wrong').toString('base64')}`), 401);
  assert.equal(await post(`Basic ${Buffer.from(`tool:${s.token}`).toString('base64')}`), 200);
});

test('a drain closes compat sockets with 1012 too, and REST answers 503 while it runs', async (t) => {
  const s = await startStack(t);
  const legacy = await tool(t, s);
  const ch = await legacy.createChannel();
  await legacy.putSubscriptions(ch.id, [presence(1)]);
  const ws = await legacy.openChannelSocket(ch);
  const closed = new Promise<[number, string]>((r) => ws.addEventListener('close', (ev) => r([ev.code, ev.reason])));
  // A relay client that never reads: it cannot answer the close frame, so the drain runs to its deadline.
  const deaf = connect(s.port, '127.0.0.1');
  t.after(() => void deaf.destroy());
  deaf.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${s.token}\r\n\r\n`);
  await until(() => s.relay.metrics().sessions.total === 2, 5000, 'both sessions');

  const stopping = s.relay.stop({ reason: 'restart', deadlineMs: 1500 });
  assert.equal(await fetchLike(s.port, '/api/v2/notifications/channels', { authorization: `Bearer ${s.token}` }), 503);
  assert.deepEqual(await closed, [1012, 'relay restarting']);
  const report = await stopping;
  assert.deepEqual([report.sessions, report.closedGracefully, report.terminated], [2, 1, 1]);
});

async function fetchLike(port: number, path: string, headers: Record<string, string>): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('grant_type=client_credentials');
  });
}

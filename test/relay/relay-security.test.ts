// The local-server threat matrix (notes/wsrelay.md §4): every case must fail closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { presence, rawUpgrade, startStack, TestClient, type RelayOverrides, type Stack } from './stack.ts';

const DASHBOARD = 'http://127.0.0.1:5173';

async function stack(t: Parameters<typeof startStack>[0], relay: RelayOverrides = {}): Promise<Stack> {
  return startStack(t, { relay: { allowedOrigins: [DASHBOARD], ...relay } });
}

async function refusedWith(p: Promise<TestClient>): Promise<number> {
  try {
    const c = await p;
    c.close();
    return 101;
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
}

test('a foreign Origin is refused with 403: cross-site WebSocket hijacking from a web page', async (t) => {
  const s = await stack(t);
  for (const origin of ['https://evil.example', 'http://localhost:5173', 'http://127.0.0.1:9999', 'null']) {
    assert.equal(await refusedWith(TestClient.open(s.port, s.token, { origin })), 403, origin);
  }
  // The dashboard's own origin, and native tools that send none, are let in.
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { origin: DASHBOARD })), 101);
  assert.equal(await refusedWith(TestClient.open(s.port, s.token)), 101);
  assert.ok((s.relay.metrics().refusedUpgrades.bad_origin ?? 0) >= 4);
});

test('a rebinding Host is refused with 403', async (t) => {
  const s = await stack(t);
  for (const host of ['evil.example', `evil.example:${s.port}`, `localhost.evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `0.0.0.0:${s.port}`]) {
    assert.equal(await refusedWith(TestClient.open(s.port, s.token, { host })), 403, host);
  }
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { host: `localhost:${s.port}` })), 101);
});

test('a missing or wrong token is refused with 401; the header form works', async (t) => {
  const s = await stack(t);
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { auth: 'none' })), 401);
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { token: 'x'.repeat(32) })), 401);
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { token: s.token.slice(0, -1) })), 401);
  assert.equal(await refusedWith(TestClient.open(s.port, s.token, { auth: 'header' })), 101);
});

test('a token in the query string is refused even when it is right', async (t) => {
  const s = await stack(t);
  assert.equal(await rawUpgrade(s.port, `/?token=${s.token}`, {}), 400);
  assert.equal(await rawUpgrade(s.port, `/relay?access_token=${s.token}`, { authorization: `Bearer ${s.token}` }), 400);
});

test('unknown paths and unknown compat channels get 404', async (t) => {
  const s = await stack(t);
  assert.equal(await rawUpgrade(s.port, '/admin', { authorization: `Bearer ${s.token}` }), 404);
  assert.equal(await rawUpgrade(s.port, '/channels/relay-doesnotexist', {}), 404);
});

test('the relay listens on 127.0.0.1 only', async (t) => {
  const s = await stack(t);
  const { networkInterfaces } = await import('node:os');
  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!external) {
    t.skip('no non-loopback IPv4 address on this machine');
    return;
  }
  const err = await new Promise<string>((resolve) => {
    const req = request({ host: external.address, port: s.port, path: '/', timeout: 2000 }, () => resolve('connected'));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
  assert.equal(err, 'ECONNREFUSED');
});

test('an oversized frame closes with 1009', async (t) => {
  const s = await stack(t, { limits: { maxFrameBytes: 1024 } });
  const c = await TestClient.open(s.port, s.token);
  c.send({ type: 'subscribe', topics: [presence(1)], id: 'x'.repeat(2000) });
  assert.equal((await c.closed).code, 1009);
  assert.equal(s.relay.metrics().closes.tooBig, 1);
});

test('malformed JSON gets an error frame; repeated malformed frames close with 1008', async (t) => {
  const s = await stack(t, { limits: { malformedLimit: 3 } });
  const c = await TestClient.open(s.port, s.token);
  c.send('{not json');
  const err = await c.next((m) => m.type === 'error');
  assert.equal(err.code, 'bad_json');
  c.send({ type: 'subscribe' });
  await c.next((m) => m.type === 'error' && m.code === 'bad_message');
  // Still usable after two mistakes.
  const ack = await c.subscribe([presence(1)]);
  assert.deepEqual(ack.topics, [presence(1)]);
  c.send('][');
  const closed = await c.closed;
  assert.deepEqual([closed.code, closed.reason], [1008, 'too many malformed frames']);
});

test('binary frames count as malformed', async (t) => {
  const s = await stack(t, { limits: { malformedLimit: 2 } });
  const c = await TestClient.open(s.port, s.token);
  c.ws.send(Buffer.from([1, 2, 3]));
  await c.next((m) => m.type === 'error' && m.code === 'binary');
  c.ws.send(Buffer.from([1, 2, 3]));
  assert.equal((await c.closed).code, 1008);
});

test('a client over its message rate is closed with 1008; others are unaffected', async (t) => {
  const s = await stack(t, { limits: { messagesPerSecond: 5, messageBurst: 10 } });
  const noisy = await TestClient.open(s.port, s.token);
  const calm = await TestClient.open(s.port, s.token);
  for (let i = 0; i < 200; i++) noisy.send({ type: 'ping', id: i });
  const closed = await noisy.closed;
  assert.deepEqual([closed.code, closed.reason], [1008, 'message rate limit exceeded']);
  calm.send({ type: 'ping', id: 'calm' });
  assert.equal((await calm.next((m) => m.type === 'pong')).id, 'calm');
  assert.equal(s.relay.metrics().closes.rateLimited, 1);
  calm.close();
});

test('topics outside the allowlist, malformed topics and topics over the session limit are rejected', async (t) => {
  const s = await stack(t, { limits: { maxTopicsPerSession: 2 } });
  const c = await TestClient.open(s.port, s.token);
  const ack = await c.subscribe([presence(1), 'v2.users.00000000-0000-4000-8000-000000000001.conversations', 'v2..bad', presence(2), presence(3)]);
  assert.deepEqual(ack.topics?.sort(), [presence(1), presence(2)].sort());
  assert.deepEqual(
    ack.rejected?.map((r) => r.reason).sort(),
    ['invalid', 'not-allowed', 'session-limit'],
  );
  // Nothing disallowed reached the platform.
  const upstream = s.sim.control.channels().flatMap((ch) => ch.topics).sort();
  assert.deepEqual(upstream, [presence(1), presence(2)].sort());
  c.close();
});

test('compat REST needs the token, and checks Host and Origin too', async (t) => {
  const s = await stack(t);
  const call = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/api/v2/notifications/channels', method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  assert.equal(await call({}), 401);
  assert.equal(await call({ authorization: 'Bearer wrong-token-wrong-token' }), 401);
  assert.equal(await call({ authorization: `Bearer ${s.token}`, host: 'evil.example' }), 403);
  assert.equal(await call({ authorization: `Bearer ${s.token}`, origin: 'https://evil.example' }), 403);
  assert.equal(await call({ authorization: `Bearer ${s.token}` }), 200);
});

// The bridge over the headless host's WebSocket, against real sockets: who may connect (token,
// Host, Origin, no token in the query), what a connected client can do (dispatch through the
// contract, receive core's events), and how bad clients are handled without touching core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WS_BRIDGE_PROTOCOL, type CoreState } from '../../preload/contract.ts';
import { closed, connect, request, startHost, type Connected } from './host-fixture.ts';

async function open(fx: Parameters<typeof connect>[0]): Promise<Connected> {
  const c = await connect(fx);
  assert.ok(c.ok, 'the dashboard connection should be accepted');
  return c;
}

test('with the token from its own page, a client calls core through the contract', async (t) => {
  const fx = await startHost(t);
  const c = await open(fx);
  // Only the bridge protocol is selected: the token is never echoed back.
  assert.equal(c.protocol, WS_BRIDGE_PROTOCOL);
  const state = await request(c.ws, { id: 1, method: 'state:get' }, 1);
  assert.equal(state.ok, true);
  assert.deepEqual((state.value as CoreState).campaigns.map((x) => x.id), fx.core.state().campaigns.map((x) => x.id));
  // The dispatcher's validation answers, not the transport's.
  const unknown = await request(c.ws, { id: 2, method: 'no:such', request: {} }, 2);
  assert.equal(unknown.error?.code, 'unknown-method');
  const invalid = await request(c.ws, { id: 3, method: 'campaign:command', request: { action: 'override', campaignId: 'x', value: -1, holdMinutes: 5 } }, 3);
  assert.equal(invalid.error?.code, 'invalid-request');
  c.ws.close();
});

test('core events reach every connected dashboard', async (t) => {
  const fx = await startHost(t);
  const a = await open(fx);
  const b = await open(fx);
  const got = (ws: Connected['ws']) =>
    new Promise<string[]>((resolve) => {
      const names: string[] = [];
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { type: string; name: string };
        if (f.type === 'event') names.push(f.name);
        if (f.name === 'state') resolve(names);
      });
    });
  const pa = got(a.ws);
  const pb = got(b.ws);
  await fx.core.cycle();
  const [na, nb] = await Promise.all([pa, pb]);
  assert.deepEqual(na, nb);
  assert.equal(na.filter((n) => n === 'history').length, 3, 'one history point per campaign');
  assert.equal(fx.host.stats().sessions, 2);
});

test('refused: no token, a wrong token, a foreign Origin, no Origin, a foreign Host, a token in the query', async (t) => {
  const fx = await startHost(t);
  const port = fx.host.port;
  const cases: [string, Parameters<typeof connect>[1], number][] = [
    ['no token', { protocols: [WS_BRIDGE_PROTOCOL] }, 401],
    ['wrong token', { protocols: [WS_BRIDGE_PROTOCOL, 'A'.repeat(43)] }, 401],
    ['truncated token', { protocols: [WS_BRIDGE_PROTOCOL, fx.token.slice(0, -2)] }, 401],
    ['no bridge protocol', { protocols: [fx.token] }, 400],
    ['foreign origin', { origin: 'https://evil.example' }, 403],
    ['another local origin', { origin: `http://127.0.0.1:${port + 1}` }, 403],
    ['no origin', { origin: null }, 403],
    ['rebinding host', { host: `evil.example:${port}` }, 403],
    ['wrong port in host', { host: `127.0.0.1:${port + 1}` }, 403],
    ['token in the query', { path: `/bridge?token=${fx.token}`, protocols: [WS_BRIDGE_PROTOCOL] }, 400],
    ['token in the query and protocol', { path: `/bridge?token=${fx.token}` }, 400],
    ['other path', { path: '/' }, 404],
  ];
  for (const [name, o, status] of cases) {
    const r = await connect(fx, o);
    assert.equal(r.ok ? 101 : r.status, status, name);
  }
  const refused = fx.host.stats().refusedUpgrades;
  assert.equal(refused.bad_token, 3);
  assert.equal(refused.bad_origin, 2);
  assert.equal(refused.missing_origin, 1);
  assert.equal(refused.bad_host, 2);
  assert.equal(refused.token_in_query, 2);
  assert.equal(fx.host.stats().acceptedSessions, 0);
  // The right client still gets in, addressed as localhost too.
  const ok = await connect(fx, { host: `localhost:${port}`, origin: `http://localhost:${port}` });
  assert.ok(ok.ok);
  ok.ws.close();
});

test('a client without Origin is let in only when the host allows non-browser tools', async (t) => {
  const fx = await startHost(t, { allowMissingOrigin: true });
  const r = await connect(fx, { origin: null });
  assert.ok(r.ok);
  r.ws.close();
  const noToken = await connect(fx, { origin: null, protocols: [WS_BRIDGE_PROTOCOL] });
  assert.equal(noToken.ok ? 101 : noToken.status, 401);
});

test('bad frames get error results; repeated bad frames close the socket (1008); core is unaffected', async (t) => {
  const fx = await startHost(t, { limits: { maxStrikes: 4 } });
  const c = await open(fx);
  const notJson = await request(c.ws, 'not json{', -1);
  assert.equal(notJson.error?.code, 'invalid-request');
  const noMethod = await request(c.ws, { id: 7, request: {} }, 7);
  assert.equal(noMethod.error?.code, 'invalid-request');
  const badId = await request(c.ws, { id: 'x', method: 'state:get' }, -1);
  assert.equal(badId.error?.code, 'invalid-request');
  const code = closed(c.ws);
  c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal(await code, 1008);
  // Another dashboard and core carry on.
  const d = await open(fx);
  assert.equal((await request(d.ws, { id: 1, method: 'state:get' }, 1)).ok, true);
  assert.equal(fx.host.stats().badFrames, 4);
  d.ws.close();
});

test('an oversized frame closes the socket with 1009', async (t) => {
  const fx = await startHost(t, { limits: { maxFrameBytes: 1024 } });
  const c = await open(fx);
  const code = closed(c.ws);
  c.ws.send(JSON.stringify({ id: 1, method: 'state:get', request: { pad: 'x'.repeat(2048) } }));
  assert.equal(await code, 1009);
});

test('requests over the rate limit are answered "unavailable", then the socket is closed', async (t) => {
  const fx = await startHost(t, { limits: { burst: 5, ratePerSec: 1, maxStrikes: 3 } });
  const c = await open(fx);
  const results = await Promise.all(Array.from({ length: 7 }, (_, i) => request(c.ws, { id: i + 1, method: 'state:get' }, i + 1)));
  assert.deepEqual(results.map((r) => r.ok), [true, true, true, true, true, false, false]);
  assert.equal(results[5]?.error?.code, 'unavailable');
  const code = closed(c.ws);
  c.ws.send(JSON.stringify({ id: 99, method: 'state:get' }));
  assert.equal(await code, 1008);
});

test('a disconnect mid-request, or the host closing, never affects core', async (t) => {
  const fx = await startHost(t);
  const c = await open(fx);
  c.ws.send(JSON.stringify({ id: 1, method: 'campaign:command', request: { action: 'pause', campaignId: fx.core.state().campaigns[0]!.id } }));
  c.ws.terminate();
  // The command still ran to completion in core; the answer had nowhere to go.
  for (let i = 0; i < 50 && fx.core.state().campaigns[0]!.mode !== 'paused'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(fx.core.state().campaigns[0]!.mode, 'paused');
  await fx.core.cycle(); // events with a dead client: no throw
  const d = await open(fx);
  const code = closed(d.ws);
  await fx.host.close();
  assert.equal(await code, 1001);
  await fx.core.cycle(); // the host unsubscribed; core carries on
  assert.equal((await fx.core.dispatch('state:get', undefined)).ok, true);
});

test('the token never appears in the logs', async (t) => {
  const fx = await startHost(t);
  await connect(fx, { protocols: [WS_BRIDGE_PROTOCOL, 'B'.repeat(43)] });
  await connect(fx, { path: `/bridge?token=${fx.token}` });
  const c = await open(fx);
  c.ws.close();
  await fx.host.close();
  assert.ok(fx.logs.length >= 3, 'the host logged its start, refusals and close');
  for (const line of fx.logs) assert.ok(!line.includes(fx.token), line);
  assert.ok(fx.host.url.endsWith(`/#token=${fx.token}`));
});

// The rest of the /__sim admin endpoint over real HTTP (rate-limit-faults.test.ts covers faults,
// the concurrent writer, rate limit, token revocation and channel removal): read-outs, latency and
// dropped connections injected over HTTP, token lifetime, publishing, closing all channels, and
// the virtual clock, including its 409 when the simulator runs on a real-time clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminCall, call, getToken, openSocket, startHarness, tokenRequest, type Harness } from './sim-helpers.ts';

const BASE = '/api/v2/outbound/campaigns';

describe('simulator admin endpoint: the remaining operations', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await getToken(h);
  });
  after(() => h.close());

  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => adminCall(h, method, path, body);

  test('read-outs: campaigns, one campaign, users, queues, faults and the clock', async () => {
    const campaigns = (await admin('GET', '/campaigns')).body.entities;
    assert.equal(campaigns.length, 5);
    const one = await admin('GET', `/campaigns/${campaigns[0].campaign.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body).sort(), ['campaign', 'dialing', 'queue', 'scenario', 'snapshot', 'stats', 'users']);
    assert.equal((await admin('GET', '/campaigns/nope')).body.code, 'not.found');
    assert.ok((await admin('GET', '/users')).body.entities.length > 0);
    assert.ok((await admin('GET', '/queues')).body.entities.length > 0);
    assert.deepEqual((await admin('GET', '/faults')).body, { rules: [] });
    const clock = (await admin('GET', '/clock')).body;
    assert.deepEqual(clock, { now: h.clock.now(), iso: new Date(h.clock.now()).toISOString(), manual: true });
  });

  test('latency and dropped connections injected over HTTP', async () => {
    assert.equal((await admin('POST', '/faults', { latencyMs: 150, paths: `${BASE}*`, methods: ['GET'] })).status, 200);
    assert.equal((await admin('GET', '/faults')).body.rules[0].spec.latencyMs, 150);
    const t0 = performance.now();
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.ok(performance.now() - t0 >= 140, 'the response was delayed');
    assert.equal((await admin('DELETE', '/faults')).status, 204);
    assert.equal((await admin('POST', '/faults', { dropConnections: 1 })).status, 200);
    await assert.rejects(call(h, 'GET', BASE, { token }), (e: Error & { code?: string }) => /UND_ERR_SOCKET|ECONNRESET/.test(e.code ?? ''));
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200, 'only one connection dropped');
  });

  test('token lifetime, publishing an event, closing every channel, advancing the clock', async () => {
    assert.deepEqual((await admin('PUT', '/tokens/lifetime', { seconds: 120 })).body, { seconds: 120 });
    assert.equal((await admin('PUT', '/tokens/lifetime', { seconds: 0 })).body.code, 'invalid.value');
    const short = await tokenRequest(h);
    assert.equal(short.body.expires_in, 120);

    const ch = (await call(h, 'POST', '/api/v2/notifications/channels', { token })).body;
    const topic = (await admin('GET', '/campaigns')).body.entities.map((s: { campaign: { id: string } }) => `v2.outbound.campaigns.${s.campaign.id}`)[0];
    await call(h, 'PUT', `/api/v2/notifications/channels/${ch.id}/subscriptions`, { token, body: [{ id: topic }] });
    const tap = await openSocket(h, ch.connectUri);
    assert.deepEqual((await admin('POST', '/events', { topic, eventBody: { marker: 'admin' } })).body, { delivered: 1 });
    assert.equal((await tap.next((m) => m.topicName === topic)).eventBody.marker, 'admin');
    const noBody = await admin('POST', '/events', { topic: 'v2.nothing' });
    assert.deepEqual([noBody.status, noBody.body.code, noBody.body.details[0].fieldName], [400, 'invalid.value', 'eventBody']);
    assert.deepEqual((await admin('DELETE', '/channels')).body, { count: 1 });
    assert.equal((await tap.closed).code, 4004);

    const before = h.clock.now();
    const adv = await admin('POST', '/clock/advance', { ms: 5_000 });
    assert.deepEqual(adv.body, { now: before + 5_000, iso: new Date(before + 5_000).toISOString() });
    assert.equal((await admin('POST', '/clock/advance', { ms: -1 })).status, 400);
  });
});

test('--speed: a scaled clock runs X times real time, and advancing it over HTTP is a 409 general.conflict', async () => {
  const { startSimulator } = await import('../../main/sim/index.ts');
  const { request } = await import('undici');
  const sim = await startSimulator({ eventRatePerSec: 0, speed: 50 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${sim.control.adminToken}` };
  const clockNow = async () => ((await (await request(`${sim.url}/__sim/clock`, { headers })).body.json()) as { now: number; manual: boolean });
  try {
    const a = await clockNow();
    const wall0 = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    const b = await clockNow();
    const ratio = (b.now - a.now) / (Date.now() - wall0);
    assert.equal(b.manual, false);
    assert.ok(ratio > 25 && ratio < 80, `simulated time ran ${ratio.toFixed(1)}x real time, expected about 50x`);
    const r = await request(`${sim.url}/__sim/clock/advance`, { method: 'POST', body: '{"ms":1000}', headers });
    assert.equal(r.statusCode, 409);
    assert.equal(((await r.body.json()) as { code: string }).code, 'general.conflict');
  } finally {
    await sim.close();
  }
});

// Per-token rate limiting on virtual time, fault injection (5xx bursts, latency, dropped
// connections, stalled responses) and the loopback admin endpoint, all over real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { ErrorBodySchema } from '../../main/genesys/models.ts';
import { adminCall, call, getToken, startHarness, tokenRequest, type Harness } from './sim-helpers.ts';

const BASE = '/api/v2/outbound/campaigns';

describe('simulator rate limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rateLimitPerMinute: 5 });
  });
  after(() => h.close());

  test('over the per-token budget: 429 with Retry-After in seconds and the normalised body', async () => {
    const token = await getToken(h);
    for (let i = 1; i <= 5; i++) {
      const r = await call(h, 'GET', BASE, { token });
      assert.equal(r.status, 200);
      assert.equal(r.headers['inin-ratelimit-count'], String(i));
      assert.equal(r.headers['inin-ratelimit-allowed'], '5');
    }
    await h.clock.advance(18_000);
    const limited = await call(h, 'GET', BASE, { token });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '42');
    const body = ErrorBodySchema.parse(limited.body);
    assert.equal(body.code, 'too.many.requests.retry.after');
    assert.equal(body.message, 'Rate limit exceeded the maximum. Retry the request in [42] seconds');
    assert.equal(body.status, 429);
    assert.equal(body.contextId, limited.headers['inin-correlation-id']);
    // Another token has its own budget.
    assert.equal((await call(h, 'GET', BASE, { token: await getToken(h) })).status, 200);
    // The window reopens after Retry-After on the virtual clock.
    await h.clock.advance(41_000);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 429);
    await h.clock.advance(1_000);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.equal(h.sim.control.counters().rateLimited, 2);
  });

  test('the limit can be changed at run time; OAuth and admin calls are not limited', async () => {
    h.sim.control.setRateLimit(2);
    const token = await getToken(h);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 429);
    for (let i = 0; i < 5; i++) await getToken(h);
    assert.equal((await adminCall(h, 'GET', '/counters')).status, 200);
    h.sim.control.setRateLimit(300);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200, 'changing the limit opens fresh windows');
  });
});

describe('simulator fault injection', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await getToken(h);
  });
  after(() => h.close());

  test('a 5xx burst answers the next N matching requests with Genesys error bodies', async () => {
    h.sim.control.injectFaults({ status5xx: { count: 2 }, paths: '/api/v2/outbound/campaigns' });
    const a = await call(h, 'GET', BASE, { token });
    const b = await call(h, 'GET', BASE, { token });
    assert.equal(a.status, 503);
    assert.equal(ErrorBodySchema.parse(a.body).code, 'service.unavailable');
    assert.equal(b.status, 503);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    h.sim.control.injectFaults({ status5xx: { count: 1, status: 502 }, paths: '/oauth/*' });
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200, 'a pattern that does not match leaves other paths alone');
    const tok = await tokenRequest(h);
    assert.equal(tok.status, 502);
    assert.equal(tok.body.code, 'bad.gateway');
    assert.equal(h.sim.control.counters().faults.status5xx, 3);
  });

  test('methods and regex patterns narrow a fault', async () => {
    h.sim.control.injectFaults({ status5xx: { count: 1, status: 500 }, methods: ['PATCH'], paths: '/campaigns/[^/]+$/' });
    const id = h.sim.control.listCampaigns()[0]!.campaign.id;
    assert.equal((await call(h, 'GET', `${BASE}/${id}`, { token })).status, 200);
    const p = await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { abandonRate: 2 } });
    assert.equal(p.status, 500);
    assert.equal(p.body.code, 'internal.server.error');
    assert.equal((await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { abandonRate: 2 } })).status, 204);
  });

  test('added latency delays matching responses until cleared', async () => {
    h.sim.control.injectFaults({ latencyMs: 150, paths: '/stats' });
    const id = h.sim.control.listCampaigns()[0]!.campaign.id;
    const t0 = performance.now();
    assert.equal((await call(h, 'GET', `${BASE}/${id}/stats`, { token })).status, 200);
    assert.ok(performance.now() - t0 >= 145, 'the response waited for the injected latency');
    assert.ok(h.sim.control.counters().faults.delayed >= 1);
    h.sim.control.clearFaults();
    assert.deepEqual(h.sim.control.faults().rules, []);
  });

  test('dropped connections fail the request without a response', async () => {
    h.sim.control.injectFaults({ dropConnections: 1 });
    await assert.rejects(call(h, 'GET', BASE, { token }), (e: Error & { code?: string }) => /socket|closed|reset/i.test(`${e.code} ${e.message}`));
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.equal(h.sim.control.counters().faults.dropped, 1);
  });

  test('a stalled response never comes; the client times out and the simulator stays healthy', async () => {
    h.sim.control.injectFaults({ stallResponses: 1 });
    await assert.rejects(
      request(`${h.sim.url}${BASE}`, { headers: { authorization: `Bearer ${token}` }, dispatcher: h.dispatcher, headersTimeout: 300 }),
      (e: Error & { code?: string }) => e.code === 'UND_ERR_HEADERS_TIMEOUT',
    );
    assert.equal((await call(h, 'GET', BASE, { token })).status, 200);
    assert.equal(h.sim.control.counters().faults.stalled, 1);
  });

  test('a bad fault spec is rejected', () => {
    assert.throws(() => h.sim.control.injectFaults({ status5xx: { count: 1, status: 404 } }));
    assert.throws(() => h.sim.control.injectFaults({ dropConnections: -1 }));
    assert.throws(() => h.sim.control.injectFaults({ paths: '/(/' }));
  });
});

describe('simulator admin endpoint', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startHarness();
    token = await getToken(h);
  });
  after(() => h.close());

  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, auth?: string) => adminCall(h, method, path, body, auth);

  test('needs the admin token or the sandbox client credentials; a platform token is not enough', async () => {
    assert.equal((await call(h, 'GET', '/__sim/state')).status, 401);
    assert.equal((await call(h, 'GET', '/__sim/state', { token })).status, 401);
    assert.equal((await admin('GET', '/state', undefined, 'Basic ' + Buffer.from(`${h.sim.clientId}:wrong`).toString('base64'))).status, 401);
    const viaToken = await admin('GET', '/state', undefined, `Bearer ${h.sim.control.adminToken}`);
    assert.equal(viaToken.status, 200);
    const viaBasic = await admin('GET', '/state');
    assert.equal(viaBasic.status, 200);
    assert.equal(viaBasic.body.campaigns.length, 5);
    assert.equal(viaBasic.body.rateLimitPerMinute, 300);
    assert.equal((await admin('GET', '/nothing-here')).status, 404);
    assert.equal((await call(h, 'GET', '/__sim/nothing-here')).status, 401, 'the guard runs before routing');
  });

  test('faults, concurrent writer, rate limit, tokens and channels over HTTP', async () => {
    assert.equal((await admin('POST', '/faults', { status5xx: { count: 1, status: 504 } })).status, 200);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 504);
    assert.equal((await admin('POST', '/faults', { status5xx: { count: 0 } })).status, 400);
    assert.equal((await admin('POST', '/faults', { nonsense: true })).status, 400);
    assert.equal((await admin('DELETE', '/faults')).status, 204);

    const id = h.sim.control.listCampaigns()[0]!.campaign.id as string;
    const before = (await call(h, 'GET', `${BASE}/${id}`, { token })).body;
    const bumped = await admin('POST', `/campaigns/${id}/bump-version`, { priority: 3 });
    assert.equal(bumped.status, 200);
    assert.equal(bumped.body.version, before.version + 1);
    assert.equal((await call(h, 'PUT', `${BASE}/${id}`, { token, body: before })).status, 409);
    assert.equal((await admin('POST', '/campaigns/nope/bump-version')).status, 404);
    assert.equal((await admin('GET', `/campaigns/${id}`)).body.campaign.priority, 3);

    assert.deepEqual((await admin('PUT', '/rate-limit', { perMinute: 1 })).body, { perMinute: 1 });
    const t2 = await getToken(h);
    assert.equal((await call(h, 'GET', BASE, { token: t2 })).status, 200);
    assert.equal((await call(h, 'GET', BASE, { token: t2 })).status, 429);
    assert.equal((await admin('PUT', '/rate-limit', { perMinute: 0 })).status, 400);
    await admin('PUT', '/rate-limit', { perMinute: 300 });

    assert.deepEqual((await admin('POST', '/tokens/revoke', { token: t2 })).body, { count: 1 });
    assert.equal((await call(h, 'GET', BASE, { token: t2 })).status, 401);

    const ch = (await call(h, 'POST', '/api/v2/notifications/channels', { token })).body;
    assert.equal((await admin('GET', '/channels')).body.entities.length, 1);
    assert.deepEqual((await admin('POST', '/channels/socket-closing', { channelId: ch.id })).body, { count: 0 }, 'no socket connected');
    assert.deepEqual((await admin('DELETE', `/channels/${ch.id}`)).body, { count: 1 });
    assert.equal((await admin('DELETE', `/channels/${ch.id}`)).status, 404);

    const clock = await admin('POST', '/clock/advance', { ms: 60_000 });
    assert.equal(clock.status, 200);
    assert.equal(clock.body.now, h.clock.now());
    const counters = (await admin('GET', '/counters')).body;
    assert.ok(counters.requests[`PUT ${BASE}/{campaignId}`] >= 1);
    assert.equal(counters.conflictsByCampaign[id], 1);
    assert.equal((await admin('DELETE', '/counters')).status, 204);
    assert.deepEqual((await admin('GET', '/counters')).body.putsByCampaign, {});
    assert.deepEqual((await admin('POST', '/tokens/expire', {})).body.count >= 1, true);
    assert.equal((await call(h, 'GET', BASE, { token })).status, 401);
  });
});

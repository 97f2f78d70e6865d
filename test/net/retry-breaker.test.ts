// Retries, Retry-After, the circuit breaker, cancellable waits and deadlines, driven by the
// simulator's fault injection and its real 429s. Time: the simulator runs on a ManualClock (so its
// rate-limit window gives a known Retry-After) and the net layer on another, so every wait is
// observed and released by the test rather than slept through.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock, systemClock } from '../../main/util/clock.ts';
import { createTokenSource } from '../../main/genesys/token-source.ts';
import { CircuitOpen, ConnectionFailed, HttpError, RateLimited, Timeout, type NetLayer } from '../../main/net/index.ts';
import { createCapture } from './support/secret-capture.ts';
import { MapSecrets, netFor, outcome, startFixture, until, type Fixture } from './support/fixtures.ts';

const capture = createCapture(import.meta.filename);
const simClock = new ManualClock();
let fx: Fixture;
let token: string;
const CAMPAIGNS = '/api/v2/outbound/campaigns';

before(async () => {
  fx = await startFixture({ rig: false, capture, sim: { clock: simClock } });
  const direct = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets() });
  const res = await direct.request({
    url: `${fx.sim.url}/oauth/token`, method: 'POST', body: 'grant_type=client_credentials',
    headers: { authorization: `Basic ${Buffer.from(`${fx.sim.clientId}:${fx.sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  token = (res.json() as { access_token: string }).access_token;
  capture.secret(token);
  await direct.close();
});

after(async () => {
  await fx.close();
  capture.assertClean();
});

const get = (net: NetLayer, o: { retry?: 'none'; signal?: AbortSignal; deadlineMs?: number } = {}) =>
  net.request({ url: `${fx.sim.url}${CAMPAIGNS}?pageSize=1`, headers: { authorization: `Bearer ${token}` }, ...o });
const listCount = () => fx.sim.control.counters().requests[`GET ${CAMPAIGNS}`] ?? 0;

const retries = () => capture.logger.lines.filter((l) => l.includes('"retrying request"'));

describe('retries and the circuit breaker', () => {
  test('503s on a GET are retried with backoff until it succeeds', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      fx.sim.control.resetCounters();
      fx.sim.control.injectFaults({ status5xx: { count: 2, status: 503 }, paths: CAMPAIGNS, methods: ['GET'] });
      const r = await get(net);
      assert.equal(r.status, 200);
      assert.equal(r.attempts, 3);
      assert.equal(fx.sim.control.counters().faults.status5xx, 2);
      const log = net.health().requests.slice(-3).map((e) => [e.attempt, e.status]);
      assert.deepEqual(log, [[1, 503], [2, 503], [3, 200]]);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a dropped connection on a GET is retried; the same on a POST is not', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      fx.sim.control.injectFaults({ dropConnections: 1, paths: CAMPAIGNS, methods: ['GET'] });
      const r = await get(net);
      assert.equal(r.attempts, 2);
      const first = net.health().requests.at(-2);
      assert.equal(first?.error, 'ConnectionFailed');
      fx.sim.control.injectFaults({ dropConnections: 1, paths: '/api/v2/notifications/channels', methods: ['POST'] });
      const post = await outcome(() => net.request({ url: `${fx.sim.url}/api/v2/notifications/channels`, method: 'POST', headers: { authorization: `Bearer ${token}` } }));
      assert.ok(post.error instanceof ConnectionFailed, String(post.error));
      assert.equal(net.health().requests.at(-1)?.attempt, 1);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a 503 on a POST is not retried and surfaces the Genesys code and contextId', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      fx.sim.control.injectFaults({ status5xx: { count: 1, status: 503 }, paths: '/api/v2/notifications/channels' });
      const r = await outcome(() => net.request({ url: `${fx.sim.url}/api/v2/notifications/channels`, method: 'POST', headers: { authorization: `Bearer ${token}` } }));
      assert.ok(r.error instanceof HttpError, String(r.error));
      assert.equal(r.error.status, 503);
      assert.equal(r.error.apiCode, 'service.unavailable');
      assert.match(r.error.contextId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(net.health().requests.at(-1)?.attempt, 1);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a 429 waits exactly the Retry-After the platform sent, then succeeds', async () => {
    const netClock = new ManualClock();
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: netClock, extra: { retry: { baseDelayMs: 2_000, maxDelayMs: 30_000 }, timeouts: { operationMs: 120_000 } } });
    try {
      fx.sim.control.setRateLimit(2);
      await get(net);
      await get(net);
      const seen = retries().length;
      let done = false;
      const pending = get(net).finally(() => (done = true));
      await until(() => retries().length > seen, 'the retry to be scheduled');
      const line = JSON.parse(retries().at(-1) as string) as { delayMs: number; reason: string };
      assert.equal(line.delayMs, 60_000, 'the simulator opened a 60 s window at the first request');
      assert.match(line.reason, /HTTP 429, Retry-After 60000 ms/);
      await netClock.advance(59_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(done, false, 'still waiting before Retry-After has passed');
      await fx.sim.control.advance(60_000); // the simulator's window closes
      await netClock.advance(1_000);
      const r = await pending;
      assert.equal(r.status, 200);
      assert.equal(r.attempts, 2);
    } finally {
      fx.sim.control.setRateLimit(100_000);
      await net.close();
    }
  });

  test('with retries off, or a Retry-After beyond the cap, the caller gets RateLimited with retryAfter', async () => {
    const netClock = new ManualClock();
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: netClock, extra: { retry: { maxRetryAfterMs: 30_000 } } });
    try {
      fx.sim.control.setRateLimit(1);
      await get(net);
      const none = await outcome(() => get(net, { retry: 'none' }));
      assert.ok(none.error instanceof RateLimited, String(none.error));
      assert.equal(none.error.retryAfterMs, 60_000);
      assert.equal(none.error.status, 429);
      assert.equal(none.error.apiCode, 'too.many.requests.retry.after');
      assert.ok(none.error.contextId);
      const capped = await outcome(() => get(net));
      assert.ok(capped.error instanceof RateLimited);
      assert.equal(capped.error.retryAfterMs, 60_000);
      assert.equal(netClock.pendingTimers, 0, 'no wait was started');
    } finally {
      fx.sim.control.setRateLimit(100_000);
      await net.close();
    }
  });

  test('three consecutive 5xx open the circuit for 60 s; a half-open probe closes it again', async () => {
    const netClock = new ManualClock();
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: netClock });
    const origin = new URL(fx.sim.url).origin;
    try {
      fx.sim.control.injectFaults({ status5xx: { count: 3, status: 502 }, paths: CAMPAIGNS, methods: ['GET'] });
      for (let i = 0; i < 3; i++) {
        const r = await outcome(() => get(net, { retry: 'none' }));
        assert.ok(r.error instanceof HttpError && r.error.status === 502);
      }
      const before = listCount();
      const open = await outcome(() => get(net));
      assert.ok(open.error instanceof CircuitOpen, String(open.error));
      assert.equal(open.error.origin, origin);
      assert.equal(listCount(), before, 'an open circuit sends nothing');
      assert.equal(net.health().breakers[origin]?.state, 'open');
      await netClock.advance(60_000);
      const probe = await get(net);
      assert.equal(probe.status, 200);
      assert.equal(net.health().breakers[origin]?.state, 'closed');
      assert.ok(capture.logger.lines.some((l) => l.includes('"circuit breaker"') && l.includes('"half-open"')));
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a failed half-open probe reopens; the breaker also cuts a retry sequence short', async () => {
    const netClock = new ManualClock();
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: netClock, extra: { retry: { baseDelayMs: 0, maxDelayMs: 0 } } });
    const origin = new URL(fx.sim.url).origin;
    try {
      fx.sim.control.resetCounters();
      fx.sim.control.injectFaults({ status5xx: { count: 10, status: 500 }, paths: CAMPAIGNS, methods: ['GET'] });
      const r = await outcome(() => get(net));
      assert.ok(r.error instanceof CircuitOpen, `5 attempts allowed, but the circuit opened after 3: ${String(r.error)}`);
      assert.equal(fx.sim.control.counters().faults.status5xx, 3);
      await netClock.advance(60_000);
      const probe = await outcome(() => get(net, { retry: 'none' }));
      assert.ok(probe.error instanceof HttpError && probe.error.status === 500);
      assert.equal(net.health().breakers[origin]?.state, 'open');
      assert.equal(net.health().breakers[origin]?.opens, 2);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a backoff wait is cancellable: aborting rejects at once and leaves no timer behind', async () => {
    const netClock = new ManualClock();
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: netClock, extra: { retry: { baseDelayMs: 10_000, maxDelayMs: 30_000 } } });
    try {
      fx.sim.control.injectFaults({ status5xx: { count: 1, status: 503 }, paths: CAMPAIGNS, methods: ['GET'] });
      const ac = new AbortController();
      const seen = retries().length;
      const pending = outcome(() => get(net, { signal: ac.signal }));
      await until(() => retries().length > seen, 'the backoff to start');
      assert.equal(netClock.pendingTimers, 2, 'the backoff wait and the operation deadline');
      ac.abort(new Error('user cancelled'));
      const r = await pending;
      assert.equal((r.error as Error)?.message, 'user cancelled');
      assert.equal(netClock.pendingTimers, 0);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('a response that never comes hits the headers timeout, and the overall deadline bounds retries', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger, clock: systemClock, extra: { timeouts: { headersMs: 1_000 } } });
    try {
      fx.sim.control.injectFaults({ stallResponses: 1, paths: CAMPAIGNS, methods: ['GET'] });
      const h = await outcome(() => get(net, { retry: 'none' }));
      assert.ok(h.error instanceof Timeout, String(h.error));
      assert.equal(h.error.phase, 'headers');
      assert.ok(h.ms < 3_000);
      fx.sim.control.injectFaults({ latencyMs: 700, paths: CAMPAIGNS, methods: ['GET'] });
      fx.sim.control.injectFaults({ status5xx: { count: 10, status: 503 }, paths: CAMPAIGNS, methods: ['GET'] });
      const d = await outcome(() => get(net, { deadlineMs: 1_000 }));
      assert.ok(d.error instanceof Timeout, String(d.error));
      assert.equal(d.error.phase, 'deadline');
      assert.ok(d.ms < 2_500, `took ${d.ms} ms`);
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('the OAuth token POST is retried under its own policy', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      fx.sim.control.resetCounters();
      fx.sim.control.injectFaults({ status5xx: { count: 1, status: 503 }, paths: '/oauth/token' });
      const tokens = createTokenSource({ net, loginBaseUrl: fx.sim.url, clientId: fx.sim.clientId, secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }), clock: systemClock, logger: capture.logger, proactive: false });
      const t = await tokens.getToken();
      capture.secret(t);
      const c = fx.sim.control.counters();
      assert.deepEqual({ issued: c.tokensIssued, faults: c.faults.status5xx, statuses: c.statuses }, { issued: 1, faults: 1, statuses: { 503: 1, 200: 1 } });
      assert.equal(net.health().requests.at(-1)?.attempt, 2);
      assert.equal(tokens.requests, 1, 'one logical token request');
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });
});

// The OAuth client-credentials token source against the simulator's /oauth/token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock, systemClock } from '../../main/util/clock.ts';
import { createGenesysClient } from '../../main/genesys/client.ts';
import { OAuthRejected, SecretMissing } from '../../main/genesys/errors.ts';
import { createTokenSource } from '../../main/genesys/token-source.ts';
import type { NetLayer } from '../../main/net/index.ts';
import { createCapture } from '../net/support/secret-capture.ts';
import { MapSecrets, netFor, startFixture, until, type Fixture } from '../net/support/fixtures.ts';

const capture = createCapture(import.meta.filename);
let fx: Fixture;
let net: NetLayer;

before(async () => {
  fx = await startFixture({ rig: false, capture, sim: { tokenLifetimeSec: 1000 } });
  net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
});

after(async () => {
  await net.close();
  await fx.close();
  capture.assertClean();
});

const source = (o: { clock?: ManualClock; secret?: MapSecrets; proactive?: boolean } = {}) => {
  const tokens = createTokenSource({
    net, loginBaseUrl: fx.sim.url, clientId: fx.sim.clientId, logger: capture.logger,
    secrets: o.secret ?? new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }),
    clock: o.clock ?? systemClock, proactive: o.proactive ?? false,
  });
  tokens.onToken((t) => capture.secret(t.value));
  return tokens;
};

test('100 concurrent callers cause one token request', async () => {
  fx.sim.control.resetCounters();
  const tokens = source();
  const all = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
  assert.equal(new Set(all).size, 1);
  assert.equal(fx.sim.control.counters().tokensIssued, 1);
  assert.equal(tokens.requests, 1);
  assert.equal(await tokens.getToken(), all[0], 'cached afterwards');
  tokens.close();
});

test('the token is refreshed at 85% of its lifetime, proactively on a timer', async () => {
  const clock = new ManualClock(Date.now());
  const tokens = source({ clock, proactive: true });
  const issued: string[] = [];
  tokens.onToken((t) => issued.push(t.value));
  const first = await tokens.getToken();
  const cur = tokens.current();
  assert.equal(((cur?.expiresAt ?? 0) - (cur?.obtainedAt ?? 0)) / 1000, 1000, 'expires_in from the platform');
  await clock.advance(849_000);
  assert.equal(await tokens.getToken(), first, 'still fresh at 84.9%');
  assert.equal(tokens.requests, 1);
  await clock.advance(1_000); // 85%: the timer fires
  await until(() => issued.length === 2, 'the proactive refresh');
  assert.notEqual(issued[1], first);
  assert.equal(await tokens.getToken(), issued[1]);
  assert.equal(tokens.requests, 2);
  tokens.close();
  assert.equal(clock.pendingTimers, 0, 'close cancels the refresh timer');
});

test('without the timer, the first call after 85% fetches a new token', async () => {
  const clock = new ManualClock(Date.now());
  const tokens = source({ clock });
  const first = await tokens.getToken();
  await clock.advance(851_000);
  const second = await tokens.getToken();
  assert.notEqual(second, first);
  assert.equal(tokens.requests, 2);
});

test('a 401 from the API drops the token and the call is repeated once with a new one', async () => {
  const client = createGenesysClient({ net, apiBaseUrl: fx.sim.url, clientId: fx.sim.clientId, secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }), logger: capture.logger, proactiveTokenRefresh: false });
  try {
    client.tokens.onToken((t) => capture.secret(t.value));
    const before = await client.tokens.getToken();
    fx.sim.control.resetCounters();
    fx.sim.control.revokeTokens(before);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.listCampaigns({ pageSize: 1 })));
    assert.equal(results.length, 10);
    assert.equal(fx.sim.control.counters().tokensIssued, 1, 'ten 401s, one new token');
    assert.notEqual(client.tokens.current()?.value, before);
    assert.equal(fx.sim.control.counters().statuses['401'], 10);
  } finally {
    client.close();
  }
});

test('a rotated client secret takes effect without a restart; a wrong one is a clear OAuthRejected', async () => {
  capture.secret('not-the-secret');
  const secrets = new MapSecrets({ 'genesys.clientSecret': 'not-the-secret' });
  const tokens = source({ secret: secrets });
  await assert.rejects(tokens.getToken(), (e: unknown) => {
    assert.ok(e instanceof OAuthRejected, String(e));
    assert.equal(e.status, 401);
    assert.equal(e.apiCode, 'invalid_client');
    assert.match(e.fix, /check the OAuth client id and secret/);
    capture.record('oauth rejected', e);
    return true;
  });
  secrets.values.set('genesys.clientSecret', fx.sim.clientSecret);
  assert.ok((await tokens.getToken()).length > 10);
  const missing = source({ secret: new MapSecrets() });
  await assert.rejects(missing.getToken(), SecretMissing);
});

test('a caller can stop waiting for the shared token request without cancelling it', async () => {
  fx.sim.control.injectFaults({ latencyMs: 300, paths: '/oauth/token' });
  try {
    const tokens = source();
    const ac = new AbortController();
    const impatient = tokens.getToken(ac.signal);
    const patient = tokens.getToken();
    ac.abort(new Error('gave up'));
    await assert.rejects(impatient, /gave up/);
    assert.ok((await patient).length > 10);
    assert.equal(tokens.requests, 1);
  } finally {
    fx.sim.control.clearFaults();
  }
});

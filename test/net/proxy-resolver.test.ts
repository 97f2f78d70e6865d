import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeNetConfig } from '../../main/net/config.ts';
import { ConfigInvalid } from '../../main/net/errors.ts';
import { decideStatic, envProxyFor, ProxyResolver, type ProxyDecision } from '../../main/net/proxy-resolver.ts';

const cfg = (proxy: Record<string, unknown> = {}) => normalizeNetConfig({ proxy }).config;
const routes = (d: ProxyDecision) => d.routes.map((r) => (r.kind === 'direct' ? 'DIRECT' : r.endpoint.url));
const API = new URL('https://api.mypurecloud.ie/api/v2/outbound/campaigns');

test('precedence: setting over environment over system resolver over DIRECT, each naming its source', async () => {
  const env = { HTTPS_PROXY: 'http://env.corp:8080' };
  const system = async () => 'PROXY pac.corp:3128';
  const setting = await new ProxyResolver(cfg({ mode: 'fixed', url: 'http://set.corp:3128' }), env, system, Date.now).resolve(API);
  assert.deepEqual([setting.source, setting.detail, routes(setting)], ['setting', 'proxy.url', ['http://set.corp:3128']]);
  const fromEnv = await new ProxyResolver(cfg(), env, system, Date.now).resolve(API);
  assert.deepEqual([fromEnv.source, fromEnv.detail, routes(fromEnv)], ['env', 'HTTPS_PROXY', ['http://env.corp:8080']]);
  const fromSystem = await new ProxyResolver(cfg(), {}, system, Date.now).resolve(API);
  assert.deepEqual([fromSystem.source, routes(fromSystem)], ['system', ['http://pac.corp:3128']]);
  const none = await new ProxyResolver(cfg(), {}, undefined, Date.now).resolve(API);
  assert.deepEqual([none.source, routes(none)], ['default', ['DIRECT']]);
  const forced = await new ProxyResolver(cfg({ mode: 'direct' }), env, system, Date.now).resolve(API);
  assert.deepEqual([forced.source, routes(forced)], ['setting', ['DIRECT']]);
});

test('environment variables are read from the object given, lower case first, HTTPS before HTTP for https targets', () => {
  assert.equal(envProxyFor('https:', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })?.endpoint.url, 'http://lower:1');
  assert.equal(envProxyFor('https:', { HTTP_PROXY: 'http://h:3' })?.endpoint.url, 'http://h:3');
  assert.equal(envProxyFor('http:', { HTTPS_PROXY: 'http://s:4' }), undefined);
  assert.equal(envProxyFor('wss:', { HTTPS_PROXY: 'http://s:4' })?.variable, 'HTTPS_PROXY');
  assert.equal(envProxyFor('https:', { HTTPS_PROXY: '  ' }), undefined);
  const withCreds = envProxyFor('https:', { HTTPS_PROXY: 'http://u%40x:p%3Aw@proxy:3128' });
  assert.deepEqual([withCreds?.username, withCreds?.password, withCreds?.endpoint.url], ['u@x', 'p:w', 'http://proxy:3128']);
  assert.throws(() => envProxyFor('https:', { HTTPS_PROXY: 'socks5://x:1' }), (e: unknown) => e instanceof ConfigInvalid && e.field === 'HTTPS_PROXY');
});

test('NO_PROXY from the setting replaces the environment; a match records its rule', () => {
  const env = { HTTPS_PROXY: 'http://env.corp:8080', NO_PROXY: '.mypurecloud.ie' };
  const d = decideStatic(API, cfg(), env);
  assert.deepEqual([d?.source, d?.noProxyRule, d?.detail], ['no-proxy', '.mypurecloud.ie', 'NO_PROXY']);
  const overridden = decideStatic(API, cfg({ noProxy: ['metrics.corp'] }), env);
  assert.equal(overridden?.source, 'env');
  const viaSetting = decideStatic(new URL('https://metrics.corp:8086/write'), cfg({ noProxy: ['metrics.corp'], mode: 'fixed', url: 'http://p:1' }), {});
  assert.deepEqual([viaSetting?.source, viaSetting?.noProxyRule, viaSetting?.detail], ['no-proxy', 'metrics.corp', 'proxy.noProxy']);
  const loop = decideStatic(new URL('https://localhost:9/'), cfg({ mode: 'fixed', url: 'http://p:1' }), {});
  assert.deepEqual([loop?.source, routes(loop as ProxyDecision)], ['loopback', ['DIRECT']]);
});

test('a PAC chain becomes ordered routes for failover; SOCKS entries are listed as skipped', async () => {
  const r = new ProxyResolver(cfg(), {}, async () => 'PROXY a.corp:3128; SOCKS s.corp:1080; PROXY b.corp:8080; DIRECT', Date.now);
  const d = await r.resolve(API);
  assert.deepEqual(routes(d), ['http://a.corp:3128', 'http://b.corp:8080', 'DIRECT']);
  assert.deepEqual(d.skipped, ['SOCKS s.corp:1080']);
  assert.equal(d.detail, 'PROXY a.corp:3128; SOCKS s.corp:1080; PROXY b.corp:8080; DIRECT');
});

test('system answers are cached per scheme://host:port; a failing resolver falls back to the cache, then DIRECT', async () => {
  let now = 1_000;
  let calls = 0;
  let fail = false;
  const r = new ProxyResolver(cfg(), {}, async (u) => {
    calls++;
    if (fail) throw new Error('resolver unavailable');
    return u.includes('mypurecloud') ? 'PROXY a.corp:3128' : 'DIRECT';
  }, () => now);
  await r.resolve(API);
  await r.resolve(new URL('https://api.mypurecloud.ie/other'));
  assert.equal(calls, 1, 'same target, one resolver call');
  now += ProxyResolver.TTL_MS + 1;
  fail = true;
  const cached = await r.resolve(API);
  assert.deepEqual([cached.source, routes(cached)], ['system-cached', ['http://a.corp:3128']]);
  const fresh = await r.resolve(new URL('https://login.mypurecloud.de/'));
  assert.equal(fresh.source, 'fallback');
  assert.deepEqual(routes(fresh), ['DIRECT']);
  assert.match(fresh.detail ?? '', /resolver unavailable/);
  r.invalidate();
  fail = false;
  await r.resolve(API);
  assert.equal(calls, 4);
});

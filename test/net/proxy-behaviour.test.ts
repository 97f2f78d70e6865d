// Proxy behaviour beyond the matrix: pooling under concurrency, a stalled proxy, a dead port, a
// refused CONNECT, hostname mismatch through inspection, PAC failover, environment and NO_PROXY
// sources, credential rotation on 407, reconfigure with requests in flight, and redaction of the
// diagnostics-channel payloads that carry the proxy password.
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import {
  ProxyAuthRequired, ProxyRefusedConnect, ProxyUnreachable, Timeout, TlsHostnameMismatch, WebSocketRejected, type NetLayer,
} from '../../main/net/index.ts';
import { basicProxyToken } from '../../main/net/proxy-url.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { createCapture } from './support/secret-capture.ts';
import { MapSecrets, netFor, outcome, settledSquidConnects, startFixture, type Fixture } from './support/fixtures.ts';

const skip = skipUnlessTools(TOOLS.squid, TOOLS.certgen, TOOLS.htpasswd, TOOLS.tinyproxy, TOOLS.openssl);
const capture = createCapture(import.meta.filename);
let fx: Fixture;
let token: string;
const rig = () => fx.rig as NonNullable<Fixture['rig']>;
const api = (path = '/api/v2/outbound/campaigns?pageSize=2') => `${fx.sim.url}${path}`;
const squidSecrets = () => new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret, 'proxy.password': rig().squidUser.password });

before(async () => {
  if (skip) return;
  fx = await startFixture({ capture });
  const direct = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets() });
  const res = await direct.request({
    url: api('/oauth/token'), method: 'POST', body: 'grant_type=client_credentials',
    headers: { authorization: `Basic ${Buffer.from(`${fx.sim.clientId}:${fx.sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  token = (res.json() as { access_token: string }).access_token;
  capture.secret(token);
  await direct.close();
});

after(async () => {
  if (skip) return;
  await fx.close();
  capture.assertClean();
});

const get = (net: NetLayer, url = api()) => net.request({ url, headers: { authorization: `Bearer ${token}` } });

describe('proxy behaviour', { skip }, () => {
  test('20 concurrent GETs through the inspecting proxy use at most 20 tunnels; squid agrees', async () => {
    const net = await netFor({ proxyUrl: rig().squidBump, username: rig().squidUser.username, caPaths: [fx.sim.caPem as string, rig().bumpCaPath], secrets: squidSecrets(), logger: capture.logger });
    const before = await settledSquidConnects(rig());
    try {
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(Array.from({ length: 20 }, () => get(net)));
        assert.ok(results.every((r) => r.status === 200));
      }
      const h = net.health();
      assert.ok(h.tunnelsOpened >= 1 && h.tunnelsOpened <= 20, `tunnels ${h.tunnelsOpened}`);
      const o = h.origins[0];
      assert.equal(o?.active, 0);
      assert.equal((o?.idle ?? 0) + (o?.active ?? 0), h.tunnelsOpened, 'every tunnel is an idle pooled connection now');
      await net.close();
      assert.equal((await settledSquidConnects(rig())) - before, h.tunnelsOpened);
    } finally {
      await net.close();
    }
  });

  test('a proxy that accepts TCP and never answers CONNECT fails within the CONNECT timeout + 2 s, for REST and WebSocket', async () => {
    const net = await netFor({ proxyUrl: rig().stalled, caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      const runs: Array<() => Promise<unknown>> = [() => get(net), () => net.openWebSocket(`${fx.sim.url.replace('https', 'wss')}/channels/x`)];
      for (const run of runs) {
        const r = await outcome(run);
        capture.record('stalled', r.error);
        assert.ok(r.error instanceof Timeout, String(r.error));
        assert.equal(r.error.phase, 'proxy-connect');
        assert.equal(r.error.hop, 'proxy-connect');
        assert.match(r.error.fix, /never answered CONNECT/);
        assert.ok(r.ms < 1_500 + 2_000, `took ${r.ms} ms`);
      }
      assert.equal(net.health().lastErrors['proxy-connect']?.code, 'Timeout');
    } finally {
      await net.close();
    }
  });

  test('a dead proxy port is ProxyUnreachable at once', async () => {
    const net = await netFor({ proxyUrl: rig().dead, caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      const r = await outcome(() => get(net));
      assert.ok(r.error instanceof ProxyUnreachable, String(r.error));
      assert.equal(r.error.hop, 'proxy-tcp');
      assert.match(r.error.message, /ECONNREFUSED/);
      assert.ok(r.ms < 2_000);
    } finally {
      await net.close();
    }
  });

  test('CONNECT to a port the proxy does not allow is ProxyRefusedConnect naming host:port to allowlist', async () => {
    const net = await netFor({ proxyUrl: rig().squidTunnel, username: rig().squidUser.username, caPaths: [fx.sim.caPem as string], secrets: squidSecrets(), logger: capture.logger });
    try {
      const port = Number(new URL(rig().dead).port);
      const r = await outcome(() => get(net, `https://localhost:${port}/api/v2/outbound/campaigns`));
      assert.ok(r.error instanceof ProxyRefusedConnect, String(r.error));
      assert.equal(r.error.status, 403);
      assert.equal(r.error.fix, `ask your proxy team for localhost:${port} to be allowlisted`);
    } finally {
      await net.close();
    }
  });

  test('an IP-literal origin through TLS inspection is TlsHostnameMismatch', async () => {
    const net = await netFor({ proxyUrl: rig().squidBump, username: rig().squidUser.username, caPaths: [fx.sim.caPem as string, rig().bumpCaPath], secrets: squidSecrets(), logger: capture.logger });
    try {
      const r = await outcome(() => get(net, `https://127.0.0.1:${fx.simPort}/api/v2/outbound/campaigns`));
      assert.ok(r.error instanceof TlsHostnameMismatch, String(r.error));
      assert.match(r.error.message, /127\.0\.0\.1/);
      assert.equal(r.error.hop, 'tls');
    } finally {
      await net.close();
    }
  });

  test('a proxy policy that forbids WebSockets is classified as a 403 from the proxy, distinct from a stripped Upgrade', async () => {
    const net = await netFor({ proxyUrl: rig().squidWsDeny, username: rig().squidUser.username, caPaths: [fx.sim.caPem as string, rig().bumpCaPath], secrets: squidSecrets(), logger: capture.logger });
    try {
      assert.equal((await get(net)).status, 200, 'plain REST is allowed');
      const wsUrl = `${fx.sim.url.replace('https', 'wss')}/channels/not-checked`;
      const r = await outcome(() => net.openWebSocket(wsUrl, { knownGood: true }));
      assert.ok(r.error instanceof WebSocketRejected, String(r.error));
      assert.equal(r.error.reason, 'proxy-forbidden');
      assert.equal(r.error.status, 403);
      assert.match(r.error.fix, /proxy forbids WebSocket requests/);
      const probe = await net.probeWebSocket(wsUrl);
      assert.equal(probe.ok, false);
      assert.equal(probe.status, 403);
    } finally {
      await net.close();
    }
  });

  test('a PAC chain fails over from a dead proxy to the next entry, recording source and route', async () => {
    const dead = new URL(rig().dead).host;
    const live = new URL(rig().squidTunnel).host;
    let asked = 0;
    const net = await netFor({
      systemProxyResolver: async () => {
        asked++;
        return `PROXY ${dead}; PROXY ${live}; DIRECT`;
      },
      username: rig().squidUser.username, caPaths: [fx.sim.caPem as string], secrets: squidSecrets(), logger: capture.logger,
      extra: { proxy: { username: rig().squidUser.username } },
    });
    try {
      const first = await get(net);
      assert.equal(first.status, 200);
      assert.equal(first.route, live);
      const second = await get(net);
      assert.equal(second.route, live);
      assert.equal(asked, 1, 'cached per origin');
      const h = net.health();
      const d = h.proxy.decisions[`https://localhost:${fx.simPort}`];
      assert.equal(d?.source, 'system');
      assert.deepEqual(d?.routes, [dead, live, 'DIRECT']);
      assert.equal(h.lastErrors['proxy-tcp']?.code, 'ProxyUnreachable');
      assert.ok(capture.logger.lines.some((l) => l.includes('proxy route failed; trying the next one')));
    } finally {
      await net.close();
    }
  });

  test('HTTPS_PROXY from the environment, with credentials in the URL, works and never shows them', async () => {
    const u = rig().squidUser;
    const env = { HTTPS_PROXY: `http://${encodeURIComponent(u.username)}:${encodeURIComponent(u.password)}@${new URL(rig().squidTunnel).host}` };
    const net = await netFor({ env, caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      const r = await get(net);
      assert.equal(r.status, 200);
      const h = net.health();
      capture.record('env health', h);
      const d = h.proxy.decisions[`https://localhost:${fx.simPort}`];
      assert.deepEqual([d?.source, d?.detail], ['env', 'HTTPS_PROXY']);
      assert.equal(h.tunnelsOpened, 1);
      assert.ok(!JSON.stringify(h).includes(u.password));
    } finally {
      await net.close();
    }
  });

  test('NO_PROXY in the environment sends a matching host direct', async () => {
    const env = { HTTPS_PROXY: rig().squidTunnel, NO_PROXY: `.example.invalid, localhost:${fx.simPort}` };
    const net = await netFor({ env, caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
    try {
      assert.equal((await get(net)).route, 'direct');
      const d = net.health().proxy.decisions[`https://localhost:${fx.simPort}`];
      assert.deepEqual([d?.source, d?.noProxyRule, d?.detail], ['no-proxy', `localhost:${fx.simPort}`, 'NO_PROXY']);
      assert.equal(net.health().tunnelsOpened, 0);
    } finally {
      await net.close();
    }
  });

  test('credentials typed into the proxy URL move to the secret store and out of the config', async () => {
    const u = rig().squidUser;
    const secrets = new MapSecrets();
    const url = `http://${encodeURIComponent(u.username)}:${encodeURIComponent(u.password)}@${new URL(rig().squidTunnel).host}`;
    const net = await netFor({ proxyUrl: url, caPaths: [fx.sim.caPem as string], secrets, logger: capture.logger });
    try {
      assert.equal(secrets.values.get('proxy.password'), u.password);
      assert.equal(net.config.proxy.url, rig().squidTunnel);
      assert.equal(net.config.proxy.username, u.username);
      assert.equal((await get(net)).status, 200);
    } finally {
      await net.close();
    }
  });

  test('a rotated proxy password is picked up on the next 407 without a restart', async () => {
    const u = rig().squidUser;
    capture.secret('an-old-password');
    const secrets = new MapSecrets({ 'proxy.password': 'an-old-password' });
    const net = await netFor({ proxyUrl: rig().squidTunnel, username: u.username, caPaths: [fx.sim.caPem as string], secrets, logger: capture.logger });
    try {
      const stale = await outcome(() => get(net));
      assert.ok(stale.error instanceof ProxyAuthRequired && stale.error.credentialsSent);
      secrets.values.set('proxy.password', u.password);
      assert.equal((await get(net)).status, 200);
    } finally {
      await net.close();
    }
  });

  test('reconfigure lets an in-flight request finish on the old dispatcher, then uses the new route', async () => {
    const net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: squidSecrets(), logger: capture.logger });
    try {
      fx.sim.control.injectFaults({ latencyMs: 800, paths: '/api/v2/outbound/campaigns', methods: ['GET'] });
      const slow = get(net);
      await new Promise((r) => setTimeout(r, 200));
      const reconfigured = net.reconfigure({
        proxy: { mode: 'fixed', url: rig().squidTunnel, username: rig().squidUser.username, bypassLoopback: false },
        tls: { caBundlePaths: [fx.sim.caPem as string] },
      });
      const r = await slow;
      assert.equal(r.status, 200);
      assert.equal(r.route, 'direct');
      await reconfigured;
      fx.sim.control.clearFaults();
      const after = await get(net);
      assert.equal(after.route, new URL(rig().squidTunnel).host);
      assert.equal(net.health().tunnelsOpened, 1);
      assert.equal(net.config.proxy.mode, 'fixed');
    } finally {
      fx.sim.control.clearFaults();
      await net.close();
    }
  });

  test('diagnostics-channel payloads carry the proxy password; what Pacekeeper logs of them does not', async () => {
    const u = rig().squidUser;
    const raw: string[] = [];
    const onHeaders = (m: unknown) => raw.push(String((m as { headers?: unknown }).headers ?? ''));
    diagnostics.subscribe('undici:client:sendHeaders', onHeaders);
    const net = await netFor({ proxyUrl: rig().squidTunnel, username: u.username, caPaths: [fx.sim.caPem as string], secrets: squidSecrets(), logger: capture.logger, trace: true });
    try {
      assert.equal((await get(net)).status, 200);
      const secretToken = basicProxyToken(u.username, u.password).slice(6);
      assert.ok(raw.some((h) => h.includes(secretToken)), 'the raw CONNECT headers carry the credentials (this is why redaction matters)');
      const traced = capture.logger.lines.filter((l) => l.includes('undici sendHeaders'));
      assert.ok(traced.some((l) => /proxy-authorization/i.test(l)), 'the CONNECT was traced');
      assert.ok(traced.some((l) => /authorization: Bearer \[redacted\]/i.test(l)), 'the bearer token was masked');
      for (const l of traced) {
        assert.ok(!l.includes(secretToken) && !l.includes(u.password) && !l.includes(token), 'trace lines are redacted');
      }
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onHeaders);
      await net.close();
    }
  });
});

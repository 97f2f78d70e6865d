// The proxy matrix: {direct, squid tunnel, squid inspection, squid inspection + WebSocket upgrade,
// tinyproxy} × {REST, OAuth, WebSocket} × {no creds, wrong creds, good creds with special
// characters} × {default CA, plus corporate CA}, against the HTTPS simulator. Every cell asserts the
// outcome class and message, and tunnel counts as both Pacekeeper and squid saw them.
// "Default CA" is the default store plus the simulator's own CA, standing in for the public root
// that signs the real platform; "plus corporate CA" adds the rig's inspection CA.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../main/util/clock.ts';
import { createGenesysClient, type GenesysClient } from '../../main/genesys/client.ts';
import { CampaignEntityListingSchema } from '../../main/genesys/models.ts';
import { createTokenSource } from '../../main/genesys/token-source.ts';
import { NetError, ProxyAuthRequired, TlsUntrusted, WebSocketRejected, type NetLayer } from '../../main/net/index.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { createCapture } from './support/secret-capture.ts';
import { MapSecrets, netFor, outcome, settledSquidConnects, startFixture, type Fixture } from './support/fixtures.ts';

const skip = skipUnlessTools(TOOLS.squid, TOOLS.certgen, TOOLS.htpasswd, TOOLS.tinyproxy, TOOLS.openssl);
const capture = createCapture(import.meta.filename);

type ProxyKind = 'direct' | 'squid-tunnel' | 'squid-inspect' | 'squid-inspect-ws' | 'tinyproxy';
type Creds = 'none' | 'wrong' | 'good';
type Ca = 'default' | 'corp';
type Expect = { ok: true } | { error: 'ProxyAuthRequired'; sent: boolean } | { error: 'TlsUntrusted' } | { error: 'UpgradeStripped' };
type Op = 'rest' | 'oauth' | 'websocket';

function expected(kind: ProxyKind, creds: Creds, ca: Ca, op: Op): Expect {
  if (kind === 'direct') return { ok: true };
  if (creds !== 'good') return { error: 'ProxyAuthRequired', sent: creds === 'wrong' };
  if (kind === 'squid-inspect' || kind === 'squid-inspect-ws') {
    if (ca === 'default') return { error: 'TlsUntrusted' };
    if (kind === 'squid-inspect' && op === 'websocket') return { error: 'UpgradeStripped' };
  }
  return { ok: true };
}

let fx: Fixture;
let direct: NetLayer;
let admin: GenesysClient;
let directToken: string;
let campaignId: string;

before(async () => {
  if (skip) return;
  fx = await startFixture({ capture });
  direct = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }), logger: capture.logger });
  admin = createGenesysClient({ net: direct, apiBaseUrl: fx.sim.url, clientId: fx.sim.clientId, secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }), logger: capture.logger, proactiveTokenRefresh: false });
  directToken = await admin.tokens.getToken();
  capture.secret(directToken);
  campaignId = (await admin.listCampaigns({ pageSize: 1 })).entities[0]?.id as string;
});

after(async () => {
  if (skip) return;
  admin.close();
  await direct.close();
  await fx.close();
  capture.assertClean();
});

function proxyFor(kind: ProxyKind): { url?: string; user?: { username: string; password: string } } {
  const rig = fx.rig as NonNullable<Fixture['rig']>;
  switch (kind) {
    case 'direct': return {};
    case 'squid-tunnel': return { url: rig.squidTunnel, user: rig.squidUser };
    case 'squid-inspect': return { url: rig.squidBump, user: rig.squidUser };
    case 'squid-inspect-ws': return { url: rig.squidBumpWs, user: rig.squidUser };
    case 'tinyproxy': return { url: rig.tinyproxy, user: rig.tinyproxyUser };
  }
}

async function runOp(net: NetLayer, op: Op, secrets: MapSecrets): Promise<void> {
  if (op === 'rest') {
    const res = await net.request({ url: `${fx.sim.url}/api/v2/outbound/campaigns?pageSize=5`, headers: { authorization: `Bearer ${directToken}` } });
    const listing = CampaignEntityListingSchema.parse(res.json());
    assert.ok(listing.entities.length > 0);
    return;
  }
  if (op === 'oauth') {
    const tokens = createTokenSource({ net, loginBaseUrl: fx.sim.url, clientId: fx.sim.clientId, secrets, clock: systemClock, logger: capture.logger, proactive: false });
    const token = await tokens.getToken();
    capture.secret(token);
    assert.ok(token.length > 10);
    assert.equal(tokens.requests, 1);
    return;
  }
  // WebSocket: the channel is made directly, so this cell tests only the socket's path.
  const channel = await admin.createChannel();
  const topic = `v2.outbound.campaigns.${campaignId}`;
  await admin.putSubscriptions(channel.id, [topic]);
  const ws = await net.openWebSocket(channel.connectUri, { knownGood: true });
  try {
    const got = new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no event within 5 s')), 5_000);
      ws.addEventListener('message', (e) => {
        const text = String((e as { data: unknown }).data);
        if (text.includes(topic)) {
          clearTimeout(t);
          resolve(text);
        }
      });
    });
    fx.sim.control.publish(topic, { id: campaignId, marker: 'matrix' });
    assert.match(await got, /"marker":"matrix"/);
  } finally {
    ws.close();
  }
}

function assertOutcome(cell: string, exp: Expect, r: { error?: unknown }): void {
  if ('ok' in exp) {
    assert.equal(r.error, undefined, `${cell}: expected success, got ${r.error instanceof Error ? `${r.error.name}: ${r.error.message}` : String(r.error)}`);
    return;
  }
  const e = r.error;
  assert.ok(e instanceof NetError, `${cell}: expected ${exp.error}, got ${String(e)}`);
  capture.record(cell, e);
  switch (exp.error) {
    case 'ProxyAuthRequired':
      assert.ok(e instanceof ProxyAuthRequired, `${cell}: ${e.code} ${e.message}`);
      assert.equal(e.credentialsSent, exp.sent);
      assert.deepEqual(e.schemes, ['Basic']);
      assert.match(e.message, /answered 407 Proxy Authentication Required \(offered: Basic/);
      assert.match(e.fix, exp.sent ? /rejected the user name or password/ : /needs a login/);
      break;
    case 'TlsUntrusted':
      assert.ok(e instanceof TlsUntrusted, `${cell}: ${e.code} ${e.message}`);
      assert.equal(e.reason, 'SELF_SIGNED_CERT_IN_CHAIN');
      assert.equal(e.fix, 'TLS inspection detected; import your corporate root CA (PEM) as a CA bundle');
      break;
    case 'UpgradeStripped':
      assert.ok(e instanceof WebSocketRejected, `${cell}: ${e.code} ${e.message}`);
      assert.equal(e.reason, 'upgrade-stripped');
      assert.match(e.fix, /removed the Upgrade header/);
      break;
  }
}

const KINDS: ProxyKind[] = ['direct', 'squid-tunnel', 'squid-inspect', 'squid-inspect-ws', 'tinyproxy'];
const OPS: Op[] = ['rest', 'oauth', 'websocket'];

describe('proxy matrix', { skip }, () => {
  for (const kind of KINDS) {
    for (const creds of (kind === 'direct' ? ['good'] : ['none', 'wrong', 'good']) as Creds[]) {
      for (const ca of ['default', 'corp'] as Ca[]) {
        const cell = `${kind} × ${kind === 'direct' ? 'no proxy' : `${creds} creds`} × ${ca} CA`;
        test(cell, async () => {
          const { url, user } = proxyFor(kind);
          const password = user && creds !== 'none' ? (creds === 'good' ? user.password : `wrong-${user.password.slice(2)}`) : undefined;
          capture.secret(password); // a mistyped password is still a password
          const secrets = new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret, ...(password ? { 'proxy.password': password } : {}) });
          const caPaths = ca === 'corp' ? [fx.sim.caPem as string, (fx.rig as NonNullable<Fixture['rig']>).bumpCaPath] : [fx.sim.caPem as string];
          const net = await netFor({ ...(url ? { proxyUrl: url } : {}), ...(user && creds !== 'none' ? { username: user.username } : {}), caPaths, secrets, logger: capture.logger });
          // squid writes a CONNECT to its log when the tunnel closes: let earlier cells' lines land first.
          const squidBefore = kind.startsWith('squid') ? (settled ?? (await settledConnects())) : 0;
          settled = undefined;
          try {
            for (const op of OPS) {
              const r = await outcome(() => runOp(net, op, secrets));
              assertOutcome(`${cell} / ${op}`, expected(kind, creds, ca, op), r);
            }
            await net.close();
            const health = net.health();
            capture.record(`${cell} health`, health);
            const allOk = OPS.every((op) => 'ok' in expected(kind, creds, ca, op));
            if (kind === 'direct') {
              assert.equal(health.tunnelsOpened, 0);
            } else if (creds !== 'good') {
              assert.equal(health.tunnelsOpened, 0, 'no tunnel without valid credentials');
              assert.equal(health.lastErrors['proxy-connect']?.code, 'ProxyAuthRequired');
            } else {
              assert.ok(health.tunnelsOpened >= 1);
              if (allOk) assert.ok(health.tunnelsOpened <= 3, `REST and OAuth share tunnels; the socket needs at most one more (got ${health.tunnelsOpened})`);
            }
            if (kind.startsWith('squid')) {
              const now = await settledConnects();
              assert.equal(now - squidBefore, health.tunnelsOpened, 'tunnels seen by squid');
              settled = now;
            }
          } finally {
            await net.close();
          }
        });
      }
    }
  }

  test('sequential REST and OAuth calls through a tunnel reuse kept-alive tunnels', async () => {
    const rig = fx.rig as NonNullable<Fixture['rig']>;
    const secrets = new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret, 'proxy.password': rig.squidUser.password });
    const net = await netFor({ proxyUrl: rig.squidTunnel, username: rig.squidUser.username, caPaths: [fx.sim.caPem as string], secrets, logger: capture.logger });
    try {
      await runOp(net, 'rest', secrets);
      await runOp(net, 'oauth', secrets);
      await runOp(net, 'rest', secrets);
      // undici frees a connection one event-loop turn after a response, so a call issued in the
      // same turn may open a second one; after that, everything reuses the idle tunnels.
      const warm = net.health().tunnelsOpened;
      assert.ok(warm >= 1 && warm <= 2, `warm-up tunnels ${warm}`);
      for (let i = 0; i < 10; i++) await runOp(net, 'rest', secrets);
      const h = net.health();
      assert.equal(h.tunnelsOpened, warm, 'no new tunnel for 10 more calls');
      const o = h.origins.find((x) => x.origin === `localhost:${fx.simPort}`);
      assert.equal(o?.tunnelsOpened, warm);
      assert.equal(o?.connectionsOpened, warm);
      assert.ok((o?.idle ?? 0) >= 1);
      assert.equal(o?.active, 0);
      assert.ok((o?.handshake?.lastMs ?? -1) >= 0);
      assert.equal(o?.connect?.count, warm);
      assert.equal(h.requests.length, 13);
      const last = h.requests.at(-1);
      assert.deepEqual({ method: last?.method, status: last?.status, attempt: last?.attempt, route: last?.route }, { method: 'GET', status: 200, attempt: 1, route: new URL(rig.squidTunnel).host });
      assert.ok(!JSON.stringify(h.requests).includes('pageSize'), 'the request log drops query strings');
    } finally {
      await net.close();
    }
  });
});

/** The settled squid count at the end of the last passing squid cell (the next cell's baseline). */
let settled: number | undefined;

const settledConnects = () => settledSquidConnects(fx.rig as NonNullable<Fixture['rig']>);

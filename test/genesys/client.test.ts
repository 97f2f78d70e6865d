// The typed Genesys client against the simulator: every method, validation at the boundary,
// conflict/rate-limit errors the tuning loop relies on, per-call retry opt-out, and the whole flow
// (REST + OAuth + notification socket) through each kind of proxy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGenesysClient, type GenesysClient } from '../../main/genesys/client.ts';
import { HttpError, RateLimited, ResponseInvalid, VersionConflict } from '../../main/genesys/errors.ts';
import { CampaignSchema } from '../../main/genesys/models.ts';
import { parseBody } from '../../main/genesys/responses.ts';
import type { NetLayer, NetResponse, NetWebSocket } from '../../main/net/index.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { createCapture } from '../net/support/secret-capture.ts';
import { MapSecrets, netFor, outcome, startFixture, type Fixture } from '../net/support/fixtures.ts';

const capture = createCapture(import.meta.filename);
const skipProxies = skipUnlessTools(TOOLS.squid, TOOLS.certgen, TOOLS.htpasswd, TOOLS.tinyproxy, TOOLS.openssl);
let fx: Fixture;
let net: NetLayer;
let client: GenesysClient;

const clientOn = (n: NetLayer) => {
  const c = createGenesysClient({ net: n, apiBaseUrl: fx.sim.url, clientId: fx.sim.clientId, secrets: new MapSecrets({ 'genesys.clientSecret': fx.sim.clientSecret }), logger: capture.logger, proactiveTokenRefresh: false });
  c.tokens.onToken((t) => capture.secret(t.value));
  return c;
};

before(async () => {
  fx = await startFixture({ rig: skipProxies ? false : undefined, capture, sim: { rateLimitPerMinute: 100_000 } });
  net = await netFor({ caPaths: [fx.sim.caPem as string], secrets: new MapSecrets(), logger: capture.logger });
  client = clientOn(net);
});

after(async () => {
  client.close();
  await net.close();
  await fx.close();
  capture.assertClean();
});

function nextMessage(ws: NetWebSocket, match: string, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no "${match}" event within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (e: { data: unknown }) => {
      const text = String(e.data);
      if (!text.includes(match)) return;
      clearTimeout(t);
      ws.removeEventListener('message', onMessage as never);
      resolve(JSON.parse(text) as Record<string, unknown>);
    };
    ws.addEventListener('message', onMessage as never);
  });
}

describe('genesys client', () => {
  test('lists, reads (with ETag), PUTs with version, PATCHes and reads stats', async () => {
    const page = await client.listCampaigns({ pageSize: 2, pageNumber: 1 });
    assert.equal(page.entities.length, 2);
    assert.ok((page.total ?? 0) >= 2);
    const id = page.entities[0]?.id as string;
    const read = await client.getCampaign(id);
    assert.equal(read.campaign.id, id);
    assert.equal(read.etag, `"${read.campaign.version}"`);
    const target = Math.round(((read.campaign.maxCallsPerAgentDecimal ?? 1.5) + 0.25) * 100) / 100;
    const put = await client.putCampaign(id, { ...read.campaign, maxCallsPerAgentDecimal: target });
    assert.equal(put.campaign.maxCallsPerAgentDecimal, target);
    assert.equal(put.campaign.version, (read.campaign.version ?? 0) + 1);
    const patched = await client.patchCampaign(id, { abandonRate: 2.5 });
    assert.equal(patched.etag, `"${(put.campaign.version ?? 0) + 1}"`);
    assert.equal((await client.getCampaign(id)).campaign.abandonRate, 2.5);
    const stats = await client.getCampaignStats(id);
    assert.ok(stats.contactRate.connectRatio >= 0 && stats.contactRate.connectRatio <= 1);
    assert.equal(typeof stats.adjustedCallsPerAgent, 'number');
  });

  test('a stale version is a VersionConflict (409) and a stale If-Match one too (412), keeping code and contextId', async () => {
    const id = (await client.listCampaigns({ pageSize: 1 })).entities[0]?.id as string;
    const read = await client.getCampaign(id);
    fx.sim.control.bumpVersion(id);
    const stale = await outcome(() => client.putCampaign(id, read.campaign, { retry: 'none' }));
    assert.ok(stale.error instanceof VersionConflict, String(stale.error));
    assert.equal(stale.error.status, 409);
    assert.equal(stale.error.code, 'VersionConflict');
    assert.equal(stale.error.apiCode, 'general.conflict');
    assert.match(stale.error.contextId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(stale.error.fix, /re-read it/);
    const fresh = await client.getCampaign(id);
    const precondition = await outcome(() => client.patchCampaign(id, { abandonRate: 3 }, { ifMatch: read.etag as string }));
    assert.ok(precondition.error instanceof VersionConflict);
    assert.equal(precondition.error.status, 412);
    assert.equal(precondition.error.apiCode, 'precondition.failed');
    const ok = await client.putCampaign(id, fresh.campaign, { ifMatch: fresh.etag as string });
    assert.equal(ok.campaign.version, (fresh.campaign.version ?? 0) + 1);
    assert.ok((fx.sim.control.counters().conflictsByCampaign[id] ?? 0) >= 2);
  });

  test('retries can be turned off per call: the caller sees the 503 or the 429 with retryAfter', async () => {
    const id = (await client.listCampaigns({ pageSize: 1 })).entities[0]?.id as string;
    fx.sim.control.injectFaults({ status5xx: { count: 1, status: 503 }, paths: '/stats' });
    const off = await outcome(() => client.getCampaignStats(id, { retry: 'none' }));
    assert.ok(off.error instanceof HttpError && off.error.status === 503, String(off.error));
    assert.equal(off.error.apiCode, 'service.unavailable');
    fx.sim.control.injectFaults({ status5xx: { count: 1, status: 503 }, paths: '/stats' });
    assert.ok((await client.getCampaignStats(id)).contactRate, 'retried by default');
    fx.sim.control.setRateLimit(1);
    try {
      await client.getCampaignStats(id, { retry: 'none' });
      const limited = await outcome(() => client.getCampaignStats(id, { retry: 'none' }));
      assert.ok(limited.error instanceof RateLimited, String(limited.error));
      assert.ok((limited.error.retryAfterMs ?? 0) >= 1_000);
      assert.equal(limited.error.apiCode, 'too.many.requests.retry.after');
    } finally {
      fx.sim.control.setRateLimit(100_000);
      fx.sim.control.clearFaults();
    }
  });

  test('analytics aggregates are queried and validated', async () => {
    const now = Date.now();
    const res = await client.queryConversationAggregates({
      interval: `${new Date(now - 3_600_000).toISOString()}/${new Date(now).toISOString()}`,
      groupBy: ['outboundCampaignId'],
      metrics: ['nOutboundAbandoned', 'nOutboundConnected'],
    });
    assert.ok(Array.isArray(res.results));
  });

  test('notification channels: create, list, subscribe (replace/add/read/delete) and receive on the socket', async () => {
    const id = (await client.listCampaigns({ pageSize: 1 })).entities[0]?.id as string;
    const ch = await client.createChannel();
    assert.match(ch.connectUri, /^wss:\/\/localhost:\d+\/channels\//);
    assert.ok((await client.listChannels()).some((c) => c.id === ch.id));
    const topic = `v2.outbound.campaigns.${id}`;
    const put = await client.putSubscriptions(ch.id, [topic]);
    assert.deepEqual(put.map((t) => t.id), [topic]);
    await client.addSubscriptions(ch.id, [`${topic}.stats`]);
    assert.deepEqual((await client.getSubscriptions(ch.id)).map((t) => t.id).sort(), [topic, `${topic}.stats`].sort());
    const ws = await client.openChannelSocket(ch, { fresh: true });
    try {
      const event = nextMessage(ws, '"marker":"client-test"');
      fx.sim.control.publish(topic, { id, marker: 'client-test' });
      assert.equal((await event).topicName, topic);
    } finally {
      ws.close();
    }
    await client.deleteSubscriptions(ch.id);
    assert.deepEqual(await client.getSubscriptions(ch.id), []);
  });

  test('a malformed response is a ResponseInvalid naming the field, never a crash', () => {
    const res = (body: string, type = 'application/json'): NetResponse => ({
      status: 200, headers: { 'content-type': type }, body: Buffer.from(body), attempts: 1, latencyMs: 1, route: 'direct',
      text: () => body, json: () => JSON.parse(body) as unknown,
    });
    assert.throws(() => parseBody(res('{"name":"x","dialingMode":"warp"}'), CampaignSchema, 'GET /c'), (e: unknown) => {
      assert.ok(e instanceof ResponseInvalid);
      assert.equal(e.code, 'ResponseInvalid');
      assert.ok(e.issues.some((i) => i.startsWith('dialingMode:')));
      assert.ok(e.issues.some((i) => i.startsWith('contactList:')));
      assert.ok(!e.message.includes('warp'), 'values are not echoed');
      return true;
    });
    assert.throws(() => parseBody(res('<html>Access denied</html>', 'text/html'), CampaignSchema, 'GET /c'), /body is not JSON \(text\/html\)/);
  });
});

describe('genesys client through proxies', { skip: skipProxies }, () => {
  const kinds = ['squid tunnel', 'squid inspection with WebSocket upgrades', 'tinyproxy'] as const;
  for (const kind of kinds) {
    test(`the whole flow through ${kind}: OAuth, REST, PUT, channel and socket`, async () => {
      const rig = fx.rig as NonNullable<Fixture['rig']>;
      const [proxyUrl, user] = kind === 'squid tunnel' ? [rig.squidTunnel, rig.squidUser] : kind === 'tinyproxy' ? [rig.tinyproxy, rig.tinyproxyUser] : [rig.squidBumpWs, rig.squidUser];
      const n = await netFor({ proxyUrl, username: user.username, caPaths: [fx.sim.caPem as string, rig.bumpCaPath], secrets: new MapSecrets({ 'proxy.password': user.password }), logger: capture.logger });
      const c = clientOn(n);
      try {
        const id = (await c.listCampaigns({ pageSize: 1 })).entities[0]?.id as string;
        const read = await c.getCampaign(id);
        const put = await c.putCampaign(id, read.campaign);
        assert.equal(put.campaign.version, (read.campaign.version ?? 0) + 1);
        const ch = await c.createChannel();
        await c.putSubscriptions(ch.id, [`v2.outbound.campaigns.${id}`]);
        const ws = await c.openChannelSocket(ch, { fresh: true });
        try {
          const event = nextMessage(ws, '"marker":"via-proxy"');
          fx.sim.control.publish(`v2.outbound.campaigns.${id}`, { id, marker: 'via-proxy' });
          await event;
        } finally {
          ws.close();
        }
        const h = n.health();
        capture.record(`${kind} health`, h);
        assert.ok(h.tunnelsOpened >= 1);
        assert.ok(h.requests.every((r) => r.route === new URL(proxyUrl).host));
      } finally {
        c.close();
        await n.close();
      }
    });
  }
});

// Campaign stats and analytics aggregates come from the dialer model, on virtual time: the pacing
// value written over HTTP reaches the model, campaigns that are off or preview do not dial, and the
// aggregates agree with the model's own counts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignStatsSchema, ConversationAggregateQueryResponseSchema, ErrorBodySchema } from '../../main/genesys/models.ts';
import { call, getToken, startHarness, type Harness, type Json } from './sim-helpers.ts';

const BASE = '/api/v2/outbound/campaigns';
const QUERY = '/api/v2/analytics/conversations/aggregates/query';
const MIN = 60_000;

describe('simulator stats and analytics', () => {
  let h: Harness;
  let token: string;
  let predictive: string;
  let preview: string;
  let off: string;
  before(async () => {
    h = await startHarness({ seed: 7, rateLimitPerMinute: 100_000 });
    token = await getToken(h);
    const all = h.sim.control.listCampaigns();
    predictive = all.find((s) => s.campaign.dialingMode === 'predictive' && s.campaign.campaignStatus === 'on')!.campaign.id as string;
    preview = all.find((s) => s.campaign.dialingMode === 'preview')!.campaign.id as string;
    off = all.find((s) => s.campaign.campaignStatus === 'off')!.campaign.id as string;
  });
  after(() => h.close());

  const stats = async (id: string) => {
    const r = await call(h, 'GET', `${BASE}/${id}/stats`, { token });
    assert.equal(r.status, 200);
    return CampaignStatsSchema.strict().parse(r.body);
  };
  const query = (body: unknown) => call(h, 'POST', QUERY, { token, body });

  test('stats carry every CampaignStats field and grow as virtual time passes', async () => {
    const s0 = await stats(predictive);
    assert.ok(s0.contactRate.attempts > 0, 'the sandbox starts warm');
    await h.clock.advance(20 * MIN);
    const s1 = await stats(predictive);
    assert.ok(s1.contactRate.attempts > s0.contactRate.attempts);
    assert.ok(s1.contactRate.connects > 0);
    assert.equal(s1.contactRate.connectRatio, Math.round((s1.contactRate.connects / s1.contactRate.attempts) * 10_000) / 10_000);
    const snap = h.sim.control.campaign(predictive)!.snapshot;
    assert.equal(s1.idleAgents, snap.agents.ready);
    assert.equal(s1.outstandingCalls, snap.ringing + snap.queued + snap.agents.talking);
    assert.equal(s1.contactRate.attempts, snap.cumulative.dials);
    assert.ok(s1.effectiveIdleAgents <= s1.idleAgents);
  });

  test('a PUT of maxCallsPerAgentDecimal reaches the model and shows as adjustedCallsPerAgent', async () => {
    const cur = (await call(h, 'GET', `${BASE}/${predictive}`, { token })).body;
    const r = await call(h, 'PUT', `${BASE}/${predictive}?useMaxCallsPerAgentDecimal=true`, { token, body: { ...cur, maxCallsPerAgentDecimal: 2.7 } });
    assert.equal(r.status, 200);
    assert.equal(h.sim.control.campaign(predictive)!.snapshot.ratio, 2.7);
    assert.equal((await stats(predictive)).adjustedCallsPerAgent, 2.7);
    const p = await call(h, 'PATCH', `${BASE}/${predictive}`, { token, body: { maxCallsPerAgent: 1.3 } });
    assert.equal(p.status, 204);
    assert.equal(h.sim.control.campaign(predictive)!.snapshot.ratio, 1.3);
  });

  test('preview campaigns and campaigns that are off do not dial', async () => {
    const pv0 = await stats(preview);
    const off0 = await stats(off);
    await h.clock.advance(10 * MIN);
    const pv1 = await stats(preview);
    const off1 = await stats(off);
    assert.equal(pv1.contactRate.attempts, pv0.contactRate.attempts);
    assert.equal(pv1.contactRate.attempts, 0);
    assert.equal(off1.contactRate.attempts, off0.contactRate.attempts);
    assert.equal(pv1.adjustedCallsPerAgent, 0);
    assert.equal(off1.adjustedCallsPerAgent, 0);
    assert.equal(h.sim.control.campaign(off)!.dialing, false);
  });

  test('turning a campaign on with PUT starts dialing; turning it off stops new dials', async () => {
    const cur = (await call(h, 'GET', `${BASE}/${off}`, { token })).body;
    const on = await call(h, 'PUT', `${BASE}/${off}`, { token, body: { ...cur, campaignStatus: 'on' } });
    assert.equal(on.status, 200);
    const a0 = (await stats(off)).contactRate.attempts;
    await h.clock.advance(5 * MIN);
    const a1 = (await stats(off)).contactRate.attempts;
    assert.ok(a1 > a0, 'dialing once on');
    const offAgain = await call(h, 'PUT', `${BASE}/${off}`, { token, body: { ...on.body, campaignStatus: 'off' } });
    assert.equal(offAgain.status, 200);
    await h.clock.advance(5 * MIN);
    assert.equal((await stats(off)).contactRate.attempts, a1);
  });

  test('aggregates per campaign equal the model counts over the interval', async () => {
    const end = h.clock.now() - (h.clock.now() % MIN);
    const start = end - 30 * MIN;
    const interval = `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
    const r = await query({ interval, groupBy: ['outboundCampaignId'], metrics: ['nOutboundAttempted', 'nOutboundConnected', 'nOutboundAbandoned'] });
    assert.equal(r.status, 200);
    const body = ConversationAggregateQueryResponseSchema.parse(r.body);
    const row = body.results!.find((x) => x.group?.outboundCampaignId === predictive)!;
    assert.equal(row.data!.length, 1);
    assert.equal(row.data![0]!.interval, interval);
    const metric = (name: string) => row.data![0]!.metrics.find((m) => m.metric === name)?.stats.count ?? 0;
    const counts = h.sim.control.counts(predictive, start, end)!;
    assert.ok(counts.dials > 0);
    assert.equal(metric('nOutboundAttempted'), counts.dials);
    assert.equal(metric('nOutboundConnected'), counts.live);
    assert.equal(metric('nOutboundAbandoned'), counts.abandoned);
    assert.ok(!body.results!.some((x) => x.group?.outboundCampaignId === preview), 'no data, no group');
  });

  test('granularity splits the interval and the buckets add up to the whole', async () => {
    const end = h.clock.now() - (h.clock.now() % MIN);
    const start = end - 30 * MIN;
    const interval = `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
    const filter = { type: 'and', predicates: [{ dimension: 'outboundCampaignId', value: predictive }] };
    const whole = await query({ interval, metrics: ['nOutboundAttempted'], filter });
    const split = await query({ interval, granularity: 'PT5M', metrics: ['nOutboundAttempted'], filter, groupBy: ['outboundCampaignId'] });
    assert.equal(split.status, 200);
    const buckets = split.body.results[0].data as Json[];
    assert.ok(buckets.length >= 5 && buckets.length <= 6);
    for (const b of buckets) {
      const [s, e] = (b.interval as string).split('/').map((x) => Date.parse(x));
      assert.equal(e! - s!, 5 * MIN);
    }
    const sum = buckets.reduce((acc, b) => acc + b.metrics[0].stats.count, 0);
    assert.equal(sum, whole.body.results[0].data[0].metrics[0].stats.count);
    assert.equal(whole.body.results.length, 1, 'the filter kept one campaign');
    assert.equal(whole.body.results[0].group, undefined, 'no groupBy, no group');
  });

  test('or-filters, clauses and exists work on dimensions', async () => {
    const end = h.clock.now();
    const interval = `${new Date(end - 30 * MIN).toISOString()}/${new Date(end).toISOString()}`;
    const ids = h.sim.control.listCampaigns().map((s) => s.campaign.id as string);
    const r = await query({
      interval,
      groupBy: ['outboundCampaignId'],
      metrics: ['nOutboundAttempted'],
      filter: { type: 'or', clauses: [{ type: 'and', predicates: [{ dimension: 'outboundCampaignId', value: ids[0] }, { dimension: 'mediaType', value: 'voice' }] }], predicates: [{ dimension: 'outboundCampaignId', value: ids[1] }] },
    });
    assert.deepEqual(new Set(r.body.results.map((x: Json) => x.group.outboundCampaignId)), new Set([ids[0], ids[1]]));
    const none = await query({ interval, metrics: ['nOutboundAttempted'], filter: { type: 'and', predicates: [{ dimension: 'wrapUpCode', operator: 'exists' }] } });
    assert.deepEqual(none.body, {});
  });

  test('an interval with no data answers {}', async () => {
    const r = await query({ interval: '2001-01-01T00:00:00.000Z/2001-01-02T00:00:00.000Z', metrics: ['nOutboundAbandoned'] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {});
  });

  test('bad queries are 400 with Genesys codes', async () => {
    const iv = '2026-01-05T08:00:00.000Z/2026-01-05T09:00:00.000Z';
    const cases: Array<[unknown, string]> = [
      [{ metrics: ['nOutboundAttempted'] }, 'invalid.value'],
      [{ interval: 'yesterday', metrics: ['nOutboundAttempted'] }, 'invalid.date'],
      [{ interval: '2026-01-05T09:00:00.000Z/2026-01-05T08:00:00.000Z', metrics: ['nOutboundAttempted'] }, 'invalid.value'],
      [{ interval: iv, metrics: [] }, 'invalid.value'],
      [{ interval: iv, metrics: ['nBogus'] }, 'invalid.value'],
      [{ interval: iv, granularity: 'fortnightly', metrics: ['nOutboundAttempted'] }, 'invalid.value'],
      [{ interval: iv, granularity: 'PT1S', metrics: ['nOutboundAttempted'] }, 'invalid.value'],
      [{ interval: '2026-01-01T00:00:00Z/2026-03-01T00:00:00Z', granularity: 'PT1M', metrics: ['nOutboundAttempted'] }, 'invalid.value'],
      [{ interval: iv, metrics: ['nOutboundAttempted'], filter: { type: 'xor', predicates: [] } }, 'invalid.value'],
      [{ interval: iv, metrics: ['nOutboundAttempted'], filter: { type: 'and', predicates: [{ type: 'metric', metric: 'tHandle' }] } }, 'bad.request'],
      [{ interval: iv, metrics: ['nOutboundAttempted'], surprise: true }, 'bad.request'],
      [[1, 2], 'bad.request'],
    ];
    for (const [body, code] of cases) {
      const r = await query(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(ErrorBodySchema.parse(r.body).code, code, JSON.stringify(body));
    }
    const empty = await call(h, 'POST', QUERY, { token });
    assert.equal(empty.status, 400);
  });

  test('known metrics the model does not produce are simply absent', async () => {
    const end = h.clock.now();
    const r = await query({ interval: `${new Date(end - 10 * MIN).toISOString()}/${new Date(end).toISOString()}`, metrics: ['tHandle', 'nOutboundAttempted'], groupBy: ['outboundCampaignId'] });
    assert.equal(r.status, 200);
    for (const row of r.body.results) for (const d of row.data) assert.deepEqual(d.metrics.map((m: Json) => m.metric), ['nOutboundAttempted']);
  });
});

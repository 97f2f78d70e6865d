// Campaign CRUD over real HTTP: paging, ETags, PUT with version (409), If-Match (412), PATCH
// (last writer wins), validation (400) and unknown ids (404).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignEntityListingSchema, CampaignSchema, ErrorBodySchema } from '../../main/genesys/models.ts';
import { startSimulator } from '../../main/sim/index.ts';
import { ManualClock } from '../../main/util/clock.ts';
import { call, getToken, startHarness, type Harness, type Json } from './sim-helpers.ts';

const BASE = '/api/v2/outbound/campaigns';

describe('simulator campaigns', () => {
  let h: Harness;
  let token: string;
  let ids: string[];
  before(async () => {
    h = await startHarness({ campaigns: 7 });
    token = await getToken(h);
    ids = h.sim.control.listCampaigns().map((s) => s.campaign.id as string);
  });
  after(() => h.close());

  const get = (id: string) => call(h, 'GET', `${BASE}/${id}`, { token });
  const put = (id: string, body: unknown, query = '', headers: Record<string, string> = {}) => call(h, 'PUT', `${BASE}/${id}${query}`, { token, body, headers });

  test('generated campaigns are realistic and validate against the Campaign schema', async () => {
    const r = await call(h, 'GET', `${BASE}?pageSize=100`, { token });
    assert.equal(r.status, 200);
    const listing = CampaignEntityListingSchema.parse(r.body);
    assert.equal(listing.total, 7);
    for (const raw of r.body.entities as Json[]) {
      const c = CampaignSchema.strict().parse(raw);
      assert.ok(c.name.length > 3);
      assert.ok(c.contactList.id && c.contactList.name);
      assert.ok(c.phoneColumns.length > 0);
      assert.match(c.callerAddress, /^\+1\d{10}$/);
      assert.equal(c.version, 1);
      assert.equal(c.selfUri, `${BASE}/${c.id}`);
      if (c.dialingMode === 'predictive' || c.dialingMode === 'power') assert.ok(c.abandonRate! > 0);
      assert.equal(c.maxCallsPerAgent, Math.round(c.maxCallsPerAgentDecimal!));
    }
    const modes = new Set((r.body.entities as Json[]).map((c) => c.dialingMode));
    assert.ok(modes.has('predictive') && modes.has('power') && modes.has('preview'));
  });

  test('the same seed gives the same org; another seed another', async () => {
    const a = await startSimulator({ seed: 42, clock: new ManualClock() });
    const b = await startSimulator({ seed: 42, clock: new ManualClock() });
    const c = await startSimulator({ seed: 43, clock: new ManualClock() });
    try {
      const idsOf = (s: typeof a) => s.control.listCampaigns().map((x) => x.campaign.id);
      assert.deepEqual(idsOf(a), idsOf(b));
      assert.notDeepEqual(idsOf(a), idsOf(c));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('listing is paged with Genesys paging fields', async () => {
    const p1 = await call(h, 'GET', `${BASE}?pageSize=3`, { token });
    assert.equal(p1.status, 200);
    assert.deepEqual([p1.body.pageSize, p1.body.pageNumber, p1.body.total, p1.body.pageCount, p1.body.entities.length], [3, 1, 7, 3, 3]);
    assert.equal(p1.body.nextUri, `${BASE}?pageSize=3&pageNumber=2`);
    assert.equal(p1.body.previousUri, undefined);
    const p3 = await call(h, 'GET', p1.body.lastUri, { token });
    assert.equal(p3.body.entities.length, 1);
    assert.equal(p3.body.nextUri, undefined);
    assert.equal(p3.body.previousUri, `${BASE}?pageSize=3&pageNumber=2`);
    const seen = [...p1.body.entities, ...(await call(h, 'GET', p1.body.nextUri, { token })).body.entities, ...p3.body.entities].map((c: Json) => c.id);
    assert.deepEqual(seen, ids);
    const beyond = await call(h, 'GET', `${BASE}?pageSize=3&pageNumber=9`, { token });
    assert.deepEqual(beyond.body.entities, []);
  });

  test('listing filters by name and id, and sorts', async () => {
    const byName = await call(h, 'GET', `${BASE}?name=collections`, { token });
    assert.ok(byName.body.entities.length >= 1);
    assert.ok(byName.body.entities.every((c: Json) => /collections/i.test(c.name)));
    const byId = await call(h, 'GET', `${BASE}?id=${ids[2]}&id=${ids[4]}`, { token });
    assert.deepEqual(byId.body.entities.map((c: Json) => c.id), [ids[2], ids[4]]);
    const sorted = await call(h, 'GET', `${BASE}?sortBy=name&sortOrder=descending&pageSize=100`, { token });
    const names = sorted.body.entities.map((c: Json) => c.name);
    assert.deepEqual(names, [...names].sort((a: string, b: string) => b.localeCompare(a)));
  });

  test('bad paging parameters are 400 invalid.value', async () => {
    for (const q of ['pageSize=0', 'pageSize=101', 'pageSize=abc', 'pageNumber=-1', 'sortBy=secret', 'sortOrder=sideways']) {
      const r = await call(h, 'GET', `${BASE}?${q}`, { token });
      assert.equal(r.status, 400, q);
      assert.equal(ErrorBodySchema.parse(r.body).code, 'invalid.value', q);
    }
  });

  test('GET returns the campaign with an ETag; unknown ids are 404 not.found', async () => {
    const r = await get(ids[0]!);
    assert.equal(r.status, 200);
    assert.equal(r.headers.etag, `"${r.body.version}"`);
    assert.ok(r.headers['inin-correlation-id']);
    const missing = await get('00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    const body = ErrorBodySchema.parse(missing.body);
    assert.equal(body.code, 'not.found');
    assert.equal(body.status, 404);
    assert.equal((await call(h, 'GET', `${BASE}/nope/stats`, { token })).status, 404);
  });

  test('PUT replaces the whole object, requires the current version and bumps it', async () => {
    const id = ids[0]!;
    const current = (await get(id)).body;
    const r = await put(id, { ...current, name: 'Renamed by PUT', priority: 2 });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, current.version + 1);
    assert.equal(r.body.name, 'Renamed by PUT');
    assert.equal(r.headers.etag, `"${current.version + 1}"`);
    // Fields left out of a PUT are gone: it is a replacement, not a merge.
    const { ruleSets: _r, ...withoutRuleSets } = r.body;
    const r2 = await put(id, withoutRuleSets);
    assert.equal(r2.status, 200);
    assert.equal(r2.body.ruleSets, undefined);
    assert.equal(h.sim.control.counters().putsByCampaign[id], 2);
  });

  test('PUT with a stale version is 409 with a Genesys error body', async () => {
    const id = ids[1]!;
    const current = (await get(id)).body;
    assert.equal((await put(id, current)).status, 200);
    const stale = await put(id, current);
    assert.equal(stale.status, 409);
    const body = ErrorBodySchema.parse(stale.body);
    assert.equal(body.status, 409);
    assert.equal(body.code, 'general.conflict');
    assert.match(body.message, /version/);
    assert.equal(body.contextId, stale.headers['inin-correlation-id']);
    assert.equal(h.sim.control.counters().conflictsByCampaign[id], 1);
  });

  test('a concurrent writer (bumpVersion) makes the next PUT conflict', async () => {
    const id = ids[2]!;
    const read = (await get(id)).body;
    const bumped = h.sim.control.bumpVersion(id, { priority: 1 });
    assert.equal(bumped.version, read.version + 1);
    assert.equal((await put(id, { ...read, maxCallsPerAgent: 2 })).status, 409);
    const fresh = (await get(id)).body;
    assert.equal(fresh.priority, 1);
    assert.equal((await put(id, { ...fresh, maxCallsPerAgent: 2 })).status, 200);
  });

  test('If-Match that does not match is 412; a matching or * If-Match passes', async () => {
    const id = ids[3]!;
    const cur = await get(id);
    const bad = await put(id, cur.body, '', { 'if-match': '"999"' });
    assert.equal(bad.status, 412);
    assert.equal(ErrorBodySchema.parse(bad.body).code, 'precondition.failed');
    const good = await put(id, cur.body, '', { 'if-match': cur.headers.etag as string });
    assert.equal(good.status, 200);
    const star = await put(id, good.body, '', { 'if-match': '*' });
    assert.equal(star.status, 200);
    const weak = await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { abandonRate: 2 }, headers: { 'if-match': `W/"${star.body.version}"` } });
    assert.equal(weak.status, 204);
    const stalePatch = await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { abandonRate: 2 }, headers: { 'if-match': `"${star.body.version}"` } });
    assert.equal(stalePatch.status, 412);
  });

  test('useMaxCallsPerAgentDecimal=true writes the decimal pacing value and keeps the integer in step', async () => {
    const id = ids[0]!;
    const cur = (await get(id)).body;
    const r = await put(id, { ...cur, maxCallsPerAgentDecimal: 2.4 }, '?useMaxCallsPerAgentDecimal=true');
    assert.equal(r.status, 200);
    assert.equal(r.body.maxCallsPerAgentDecimal, 2.4);
    assert.equal(r.body.maxCallsPerAgent, 2);
    // Without the flag the integer field is authoritative and the decimal follows it.
    const r2 = await put(id, { ...r.body, maxCallsPerAgent: 3, maxCallsPerAgentDecimal: 1.1 });
    assert.equal(r2.body.maxCallsPerAgent, 3);
    assert.equal(r2.body.maxCallsPerAgentDecimal, 3);
  });

  test('PATCH changes only the given pacing fields, needs no version and answers 204', async () => {
    const id = ids[4]!;
    const before = (await get(id)).body;
    const r = await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { maxCallsPerAgent: 2.5, outboundLineCount: 40 } });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(r.headers.etag, `"${before.version + 1}"`);
    const after = (await get(id)).body;
    assert.equal(after.version, before.version + 1);
    assert.equal(after.maxCallsPerAgentDecimal, 2.5);
    assert.equal(after.maxCallsPerAgent, 3);
    assert.equal(after.outboundLineCount, 40);
    assert.equal(after.name, before.name);
    assert.deepEqual(after.phoneColumns, before.phoneColumns);
    const lb = await call(h, 'PATCH', `${BASE}/${id}`, { token, body: { dynamicLineBalancingSettings: { enabled: true } } });
    assert.equal(lb.status, 204);
    assert.deepEqual((await get(id)).body.dynamicLineBalancingSettings, { enabled: true, relativeWeight: 50 });
    assert.equal(h.sim.control.counters().patchesByCampaign[id], 2);
  });

  test('validation errors are 400 with the platform codes', async () => {
    const id = ids[5]!;
    const cur = (await get(id)).body;
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['unknown field', { ...cur, predictedDialRate: 2 }, 'bad.request', /predictedDialRate/],
      ['wrong type', { ...cur, maxCallsPerAgent: 'three' }, 'invalid.value', /maxCallsPerAgent/],
      ['missing version', { ...cur, version: undefined }, 'invalid.value', /version/],
      ['missing status', { ...cur, campaignStatus: undefined }, 'invalid.value', /campaignStatus/],
      ['missing name', { ...cur, name: undefined }, 'invalid.value', /name/],
      ['bad enum', { ...cur, dialingMode: 'turbo' }, 'invalid.value', /dialingMode/],
      ['abandonRate out of range', { ...cur, abandonRate: 0 }, 'invalid.value', /abandonRate/],
      ['pacing out of range', { ...cur, maxCallsPerAgentDecimal: 99 }, 'invalid.value', /maxCallsPerAgentDecimal/],
      ['id mismatch', { ...cur, id: ids[0] }, 'invalid.value', /id/],
      ['array body', [cur], 'bad.request', /Campaign/],
      ['illegal transition', { ...cur, campaignStatus: 'complete' }, 'bad.request', /Invalid transition/],
    ];
    for (const [what, body, code, msg] of cases) {
      const r = await put(id, body, '?useMaxCallsPerAgentDecimal=true');
      assert.equal(r.status, 400, what);
      const err = ErrorBodySchema.parse(r.body);
      assert.equal(err.code, code, what);
      assert.match(err.message, msg, what);
    }
    assert.equal((await get(id)).body.version, cur.version, 'failed writes change nothing');
    const patchCases: unknown[] = [{ version: 3 }, { maxCallsPerAgent: '2' }, { abandonRate: 300 }, { outboundLineCount: 1.5 }, 'text', null];
    for (const body of patchCases) {
      const r = await call(h, 'PATCH', `${BASE}/${id}`, { token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(['bad.request', 'invalid.value'].includes(r.body.code));
    }
  });

  test('a completed campaign may not be turned off (the platform\'s transition rule)', async () => {
    const id = ids[6]!;
    const done = h.sim.control.bumpVersion(id, { campaignStatus: 'complete' });
    const r = await put(id, { ...done, campaignStatus: 'off' });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /Invalid transition from <COMPLETE> to <OFF>/);
    const on = await put(id, { ...done, campaignStatus: 'on' });
    assert.equal(on.status, 200);
  });

  test('unknown campaign ids are 404 for PUT and PATCH too', async () => {
    const cur = (await get(ids[0]!)).body;
    assert.equal((await put('missing', cur)).status, 404);
    assert.equal((await call(h, 'PATCH', `${BASE}/missing`, { token, body: { abandonRate: 2 } })).status, 404);
  });

  test('wrong methods are 405 and unknown routes 404, both as JSON', async () => {
    const del = await call(h, 'DELETE', `${BASE}/${ids[0]}`, { token });
    assert.equal(del.status, 405);
    assert.equal(del.headers.allow, 'GET, PATCH, PUT');
    const post = await call(h, 'POST', BASE, { token, body: {} });
    assert.equal(post.status, 405);
    const head = await call(h, 'HEAD', `${BASE}/${ids[0]}`, { token });
    assert.equal(head.status, 200, 'HEAD is served wherever GET is');
    assert.equal(head.text, '');
    const none = await call(h, 'GET', '/api/v2/outbound/whatever', { token });
    assert.equal(none.status, 404);
    assert.equal(ErrorBodySchema.parse(none.body).code, 'not.found');
  });
});

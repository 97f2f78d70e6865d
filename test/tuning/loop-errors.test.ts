// 429 with Retry-After, the circuit breaker and malformed stats, through the real client against
// the real simulator. The api decorators below only record call times or corrupt a stats object
// the simulator cannot corrupt itself; every request still goes over HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CampaignApi } from '../../main/tuning/campaign-api.ts';
import { auditFiles, readAuditFile } from '../../main/tuning/audit-log.ts';
import { campaign, startRig, startService, type Rig } from './helpers/loop-fixture.ts';

function recording(rig: Rig, api: CampaignApi, log: number[]): CampaignApi {
  const at = <T>(p: () => Promise<T>) => {
    log.push(rig.clock.now());
    return p();
  };
  return {
    getCampaign: (id, o) => at(() => api.getCampaign(id, o)),
    putCampaign: (id, b, o) => at(() => api.putCampaign(id, b, o)),
    getStats: (id, o) => at(() => api.getStats(id, o)),
    queryAbandonCounts: (id, f, t, o) => at(() => api.queryAbandonCounts(id, f, t, o)),
  };
}

describe('tuning loop: 429 and Retry-After', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ campaigns: [campaign('r1')], rateLimitPerMinute: 5 });
  });
  after(async () => rig.close());

  test('a 429 waits for Retry-After, sends nothing meanwhile, then carries on', async () => {
    const calls: number[] = [];
    const r = startService(rig, { api: recording(rig, rig.api, calls), campaigns: [{ campaignId: 'r1', bounds: { min: 1, max: 6 }, intervalSec: 10 }], auditDir: `${rig.auditDir}/429` });
    r.svc.start();
    await r.run(3 * 60_000, 500);
    await r.svc.stop();
    const end = rig.clock.now();
    // Waits still running when the test stopped the service cannot have carried on yet.
    const limited = r.events.filter((e) => e.type === 'rate-limited' && !e.cancelled && e.time + e.retryAfterMs + 5_000 < end);
    assert.ok(limited.length >= 1, 'the simulator rate-limited the loop');
    assert.ok(rig.sim.control.counters().rateLimited >= 1);
    for (const e of limited) {
      assert.ok(e.type === 'rate-limited' && e.retryAfterMs > 0);
      const waitEnd = e.time + (e.type === 'rate-limited' ? e.retryAfterMs : 0);
      assert.equal(calls.filter((t) => t > e.time && t < waitEnd).length, 0, 'no request while waiting');
      assert.ok(calls.some((t) => t >= waitEnd), 'the loop carried on after the wait');
    }
    assert.ok(r.svc.snapshot().campaigns[0]!.rateLimited >= 1);
  });

  test('the wait can be cancelled: pausing ends it at once', async () => {
    rig.sim.control.setRateLimit(2);
    const calls: number[] = [];
    const r = startService(rig, { api: recording(rig, rig.api, calls), campaigns: [{ campaignId: 'r1', bounds: { min: 1, max: 6 }, intervalSec: 10 }], auditDir: `${rig.auditDir}/cancel` });
    r.svc.start();
    for (let i = 0; i < 240 && !r.events.some((e) => e.type === 'rate-limited'); i++) await r.run(500, 500);
    const e = r.events.find((x) => x.type === 'rate-limited');
    assert.ok(e && e.type === 'rate-limited' && e.retryAfterMs > 1000, 'waiting on a 429');
    const res = await r.svc.pause('r1', 'test pause');
    assert.equal(res.ok, true);
    assert.ok(r.events.some((x) => x.type === 'rate-limited' && x.cancelled), 'the wait was cancelled');
    const n = calls.length;
    await r.run(2 * 60_000, 1_000);
    assert.equal(calls.length, n, 'paused: no further requests');
    await r.svc.stop();
    rig.sim.control.setRateLimit(300);
  });
});

describe('tuning loop: circuit breaker', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ campaigns: [campaign('b1')], breaker: { failureThreshold: 3, openMs: 120_000 } });
  });
  after(async () => rig.close());

  test('while the breaker is open the campaign loop pauses, then resumes', async () => {
    const calls: number[] = [];
    const r = startService(rig, { api: recording(rig, rig.api, calls), campaigns: [{ campaignId: 'b1', bounds: { min: 1, max: 6 } }], auditDir: rig.auditDir });
    r.svc.start();
    await r.run(60_000, 1_000);
    rig.sim.control.injectFaults({ status5xx: { count: 3, status: 503 }, paths: '/api/v2/outbound/campaigns/b1', methods: ['GET'] });
    await r.run(3 * 60_000, 1_000);
    const open = r.events.find((e) => e.type === 'breaker-open');
    assert.ok(open && open.type === 'breaker-open' && open.retryAtMs !== undefined, 'breaker-open event');
    assert.equal(r.events.filter((e) => e.type === 'error' && e.code === 'HttpError').length, 3, 'three 5xx errors opened it');
    const snap = r.svc.snapshot().campaigns[0]!;
    assert.equal(snap.breakerUntil, open.retryAtMs);
    await r.run(4 * 60_000, 1_000);
    await r.svc.stop();
    const during = calls.filter((t) => t > open.time && t < open.retryAtMs!);
    assert.equal(during.length, 0, 'no request while the breaker was open');
    assert.ok(calls.some((t) => t >= open.retryAtMs!), 'resumed after the breaker');
    const lastOutcome = r.svc.snapshot().campaigns[0]!.lastDecision?.outcome;
    assert.ok(lastOutcome !== 'error' && lastOutcome !== 'breaker-open', `healthy again, got ${lastOutcome}`);
  });
});

describe('tuning loop: malformed stats', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ campaigns: [campaign('m1', { maxCallsPerAgent: 1.2 })] });
  });
  after(async () => rig.close());

  test('missing fields, NaN and negative values skip the cycle with an error and no write', async () => {
    const corrupt = { on: false, n: 0 };
    const variants = [
      (s: Record<string, unknown>) => ({ ...s, contactRate: undefined }),
      (s: Record<string, unknown>) => ({ ...s, contactRate: { ...(s.contactRate as object), attempts: Number.NaN } }),
      (s: Record<string, unknown>) => ({ ...s, idleAgents: -3 }),
      (s: Record<string, unknown>) => ({ ...s, contactRate: { ...(s.contactRate as object), connects: -1 } }),
    ];
    const api: CampaignApi = {
      ...rig.api,
      async getStats(id, o) {
        const s = (await rig.api.getStats(id, o)) as Record<string, unknown>;
        return corrupt.on ? variants[corrupt.n++ % variants.length]!(s) : s;
      },
    };
    const r = startService(rig, { api, campaigns: [{ campaignId: 'm1', bounds: { min: 1, max: 6 } }] });
    r.svc.start();
    await r.run(15 * 60_000, 30_000);
    const putsHealthy = rig.sim.control.counters().putsByCampaign.m1 ?? 0;
    assert.ok(putsHealthy > 0, 'with good stats the loop writes');
    corrupt.on = true;
    await r.run(10 * 60_000, 30_000);
    await r.svc.stop();
    assert.equal(rig.sim.control.counters().putsByCampaign.m1 ?? 0, putsHealthy, 'no write from malformed stats');
    const errors = r.events.filter((e) => e.type === 'error' && e.code === 'MalformedStats');
    assert.ok(errors.length >= variants.length, `one error per bad cycle, got ${errors.length}`);
    const messages = new Set(errors.map((e) => (e.type === 'error' ? e.message : '')));
    for (const m of ['contactRate is missing', 'attempts is NaN', 'idleAgents is negative', 'connects is negative']) {
      assert.ok([...messages].some((x) => x.includes(m)), `an error says "${m}"`);
    }
    const records = auditFiles(rig.auditDir).flatMap(readAuditFile).filter((x) => x.kind === 'decision' && x.outcome === 'error');
    assert.ok(records.length >= variants.length, 'each skipped cycle is in the audit trail');
  });
});

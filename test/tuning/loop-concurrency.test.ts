// Optimistic concurrency through the real client against the real simulator: a concurrent writer
// forces 409 (version in the body) and 412 (If-Match); the loop re-reads, recomputes from the
// latest version and keeps the other writer's change. Never writes a non-paced campaign and never
// changes campaignStatus.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CampaignApi } from '../../main/tuning/campaign-api.ts';
import { readAuditFile, auditFiles } from '../../main/tuning/audit-log.ts';
import type { DriftPoint, SignalPoint } from '../../main/tuning/drift-sink.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import { campaign, startRig, startService, until, type Rig } from './helpers/loop-fixture.ts';

/** The real api, plus a real concurrent writer that strikes just before our next PUT. */
function withConcurrentWriter(rig: Rig, api: CampaignApi, strike: { armed: boolean; changes: Record<string, unknown> }): CampaignApi {
  return {
    ...api,
    putCampaign(id, body, o) {
      if (strike.armed) {
        strike.armed = false;
        rig.sim.control.bumpVersion(id, strike.changes);
      }
      return api.putCampaign(id, body, o);
    },
  };
}

describe('tuning loop: optimistic concurrency', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({
      campaigns: [
        campaign('c409', { maxCallsPerAgent: 1.5 }),
        campaign('c412', { maxCallsPerAgent: 1.5 }),
        campaign('cprev', { dialingMode: 'preview', maxCallsPerAgent: 1.5 }),
        campaign('coff', { campaignStatus: 'off', maxCallsPerAgent: 1.5 }),
        campaign('csink', { maxCallsPerAgent: 1.5 }),
      ],
    });
  });
  after(async () => rig.close());

  for (const [id, ifMatch, status] of [['c409', 'never', 409], ['c412', 'when-given', 412]] as const) {
    test(`a ${status} is re-read and recomputed from the latest version, without losing the other write`, async () => {
      const strike = { armed: false, changes: { maxCallsPerAgentDecimal: 2.5, maxCallsPerAgent: 3, callerName: `Admin ${status}` } as Record<string, unknown> };
      const r = startService(rig, { api: withConcurrentWriter(rig, rig.api, strike), campaigns: [{ campaignId: id, bounds: { min: 1, max: 6 } }], ifMatch, auditDir: `${rig.auditDir}/${id}` });
      r.svc.start();
      // Let the controller gather enough data to want a change, then arm the writer.
      await r.run(5 * 60_000);
      const putsBefore = rig.sim.control.counters().putsByCampaign[id] ?? 0;
      strike.armed = true;
      await r.run(30 * 60_000, 30_000);
      await r.svc.stop();
      assert.equal(strike.armed, false, 'the loop should have tried to write');
      const c = rig.sim.control.counters();
      assert.equal(c.conflictsByCampaign[id], 1, 'exactly one conflict was provoked');
      assert.ok((c.statuses[String(status)] ?? 0) >= 1, `the simulator answered ${status}`);
      assert.ok((c.putsByCampaign[id] ?? 0) > putsBefore, 'the retried PUT succeeded');
      const final = rig.sim.control.campaign(id)!.campaign;
      assert.equal(final.callerName, `Admin ${status}`, "the other writer's change survived our PUT");
      // The first write after the conflict started from the other writer's 2.5, not from our stale read.
      const applied = r.events.filter((e) => e.type === 'applied');
      const afterConflict = applied.find((e) => e.type === 'applied' && e.oldValue === 2.5);
      assert.ok(afterConflict && afterConflict.type === 'applied', `an applied change from 2.5, got ${JSON.stringify(applied.map((e) => e.type === 'applied' && [e.oldValue, e.newValue]))}`);
      assert.ok(Math.abs(afterConflict.newValue / 2.5 - 1) <= 0.1 + 1e-9, 'recomputed within the step limit of the latest value');
      assert.equal(r.events.filter((e) => e.type === 'conflict').length, 0, 'recovered within the cycle: no conflict event');
      const records = auditFiles(`${rig.auditDir}/${id}`).flatMap(readAuditFile);
      const last = records.filter((x) => x.kind === 'decision' && x.outcome === 'applied').at(-1);
      assert.ok(last && last.kind === 'decision' && last.version === final.version, 'the audit trail holds the version the last write produced');
    });
  }

  test('after 3 retries a conflict event is raised and nothing is overwritten', async () => {
    const relentless: CampaignApi = {
      ...rig.api,
      putCampaign(id, body, o) {
        rig.sim.control.bumpVersion(id, { callerName: 'Relentless admin' });
        return rig.api.putCampaign(id, body, o);
      },
    };
    const r = startService(rig, { api: relentless, campaigns: [{ campaignId: 'c409', bounds: { min: 1, max: 6 } }], ifMatch: 'never', auditDir: `${rig.auditDir}/relentless` });
    const puts = rig.sim.control.counters().putsByCampaign.c409 ?? 0;
    const conflicts = rig.sim.control.counters().conflictsByCampaign.c409 ?? 0;
    r.svc.start();
    await r.run(20 * 60_000, 30_000);
    await r.svc.stop();
    const conflictEvents = r.events.filter((e) => e.type === 'conflict');
    assert.ok(conflictEvents.length >= 1, 'a conflict event after the retries ran out');
    for (const e of conflictEvents) assert.equal(e.type === 'conflict' && e.attempts, 4, 'one PUT plus 3 retries');
    assert.equal(rig.sim.control.counters().putsByCampaign.c409 ?? 0, puts, 'no PUT got through');
    assert.equal((rig.sim.control.counters().conflictsByCampaign.c409 ?? 0) - conflicts, 4 * conflictEvents.length);
  });

  test('never writes a campaign that is not in a predictive or power dialing mode', async () => {
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'cprev', bounds: { min: 1, max: 6 } }], auditDir: `${rig.auditDir}/prev` });
    r.svc.start();
    await r.run(10 * 60_000, 30_000);
    await r.svc.stop();
    assert.equal(rig.sim.control.counters().putsByCampaign.cprev ?? 0, 0);
    assert.ok(r.events.some((e) => e.type === 'unchanged' && e.why === 'not-paced-dialing-mode'));
  });

  test('never changes campaignStatus: an off campaign stays off after writes', async () => {
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'coff', bounds: { min: 1, max: 6 } }], auditDir: `${rig.auditDir}/off` });
    r.svc.start();
    // An off campaign does not dial, so give the controller a reason to write: an operator value.
    await r.run(60_000, 30_000);
    const res = await r.svc.override('coff', 2.2, 5, 'test');
    assert.equal(res.ok, true, JSON.stringify(res));
    await until(() => (rig.sim.control.counters().putsByCampaign.coff ?? 0) >= 1, 'the override PUT');
    await r.svc.stop();
    const c = rig.sim.control.campaign('coff')!.campaign;
    assert.equal(c.campaignStatus, 'off');
    assert.equal(c.maxCallsPerAgentDecimal, 2.2);
  });

  test('every applied change reaches the drift sink and the log; a failing sink does not stop the loop', async () => {
    const applied: DriftPoint[] = [];
    const signals: SignalPoint[] = [];
    let calls = 0;
    const sink = {
      applied(p: DriftPoint) {
        applied.push(p);
        if (++calls % 2) throw new Error('telemetry down');
      },
      async signal(p: SignalPoint) {
        signals.push(p);
        throw new Error('telemetry down');
      },
    };
    const logger = createMemoryLogger();
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'csink', name: 'Sink test', region: 'eu_west_1', bounds: { min: 1, max: 6 } }], sink, logger, auditDir: `${rig.auditDir}/sink` });
    r.svc.start();
    await r.run(30 * 60_000, 30_000);
    await r.svc.stop();
    const events = r.events.filter((e) => e.type === 'applied');
    assert.ok(events.length >= 3, 'the loop kept writing although the sink threw');
    assert.equal(applied.length, events.length);
    for (const [i, p] of applied.entries()) {
      const e = events[i]!;
      assert.ok(e.type === 'applied');
      assert.deepEqual([p.oldRate, p.newRate, p.version, p.campaignName, p.region, p.controller, p.reason], [e.oldValue, e.newValue, e.version, 'Sink test', 'eu_west_1', 'compliance-pi', e.reason]);
      assert.ok(p.reason, 'the drift point carries the decision reason');
      assert.ok(Math.abs(p.drift - (p.newRate - p.oldRate)) < 1e-9);
    }
    assert.ok(signals.length >= 50 && signals.every((p) => p.campaignId === 'csink' && Number.isFinite(p.live)), 'one signal point per cycle');
    const lines = logger.lines.map((l) => JSON.parse(l) as { msg: string; campaignId?: string });
    assert.equal(lines.filter((l) => l.msg === 'tuning applied' && l.campaignId === 'csink').length, events.length, 'each decision is one JSON log line');
  });
});

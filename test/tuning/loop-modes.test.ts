// Modes against the real simulator: override with hold, expiry and bumpless resume; dry-run
// (zero PUTs, counted by the simulator); a restart in the middle of a hold; two campaigns within
// the request budget; mode changes in the audit trail with their reasons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditFiles, readAuditFile } from '../../main/tuning/audit-log.ts';
import { campaign, startRig, startService, type Rig } from './helpers/loop-fixture.ts';

describe('tuning loop: modes', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({
      campaigns: [campaign('o1', { maxCallsPerAgent: 1.5 }), campaign('d1', { maxCallsPerAgent: 1.5 }), campaign('h1', { maxCallsPerAgent: 1.5 })],
    });
  });
  after(async () => rig.close());

  test('override: applied once, held, expires, then auto resumes bumplessly from the held value', async () => {
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'o1', bounds: { min: 1, max: 6 } }], auditDir: `${rig.auditDir}/o1` });
    r.svc.start();
    await r.run(2 * 60_000, 30_000);
    const puts0 = rig.sim.control.counters().putsByCampaign.o1 ?? 0;
    const res = await r.svc.override('o1', 2.8, 10, 'supervisor: new script');
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.ok && res.outcome, 'applied');
    assert.equal(rig.sim.control.campaign('o1')!.campaign.maxCallsPerAgentDecimal, 2.8);
    const snap = r.svc.snapshot().campaigns[0]!;
    assert.equal(snap.mode, 'override');
    assert.equal(snap.holdUntil, rig.clock.now() + 10 * 60_000);
    assert.ok(r.events.some((e) => e.type === 'override-started' && e.value === 2.8));
    // Held: cycles keep reading (recommendations stay fresh) but never write.
    await r.run(9 * 60_000, 30_000);
    assert.equal(rig.sim.control.counters().putsByCampaign.o1, puts0 + 1, 'applied exactly once');
    assert.equal(rig.sim.control.campaign('o1')!.campaign.maxCallsPerAgentDecimal, 2.8);
    assert.ok(r.svc.snapshot().campaigns[0]!.recommended !== undefined);
    await r.run(2 * 60_000, 30_000);
    assert.ok(r.events.some((e) => e.type === 'override-ended' && e.why === 'expired'), 'the hold expired');
    assert.equal(r.svc.snapshot().campaigns[0]!.mode, 'auto');
    await r.run(30 * 60_000, 30_000);
    await r.svc.stop();
    const autoWrites = r.events.filter((e) => e.type === 'applied' && e.controller !== 'operator');
    const firstAfter = autoWrites.find((e) => e.type === 'applied' && e.mode === 'auto' && e.time >= snap.holdUntil!);
    assert.ok(firstAfter && firstAfter.type === 'applied', 'auto wrote again after the hold');
    assert.equal(firstAfter.oldValue, 2.8, 'auto started from the held value');
    assert.ok(Math.abs(firstAfter.newValue / 2.8 - 1) <= 0.1 + 1e-9, `bumpless: ${firstAfter.newValue} is within one step of 2.8`);
    const modes = auditFiles(`${rig.auditDir}/o1`).flatMap(readAuditFile).filter((x) => x.kind === 'mode');
    assert.ok(modes.some((m) => m.kind === 'mode' && m.to === 'override' && m.reason === 'supervisor: new script' && m.value === 2.8));
    assert.ok(modes.some((m) => m.kind === 'mode' && m.from === 'override' && m.to === 'auto' && m.reason.startsWith('expired')));
  });

  test('override outside the bounds is refused before anything is written; release ends a hold', async () => {
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'o1', bounds: { min: 1, max: 6 } }], auditDir: `${rig.auditDir}/o1b` });
    r.svc.start();
    const puts = rig.sim.control.counters().putsByCampaign.o1 ?? 0;
    const bad = await r.svc.override('o1', 9, 5);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.code, 'InvalidOverride');
    assert.equal(rig.sim.control.counters().putsByCampaign.o1 ?? 0, puts);
    const ok = await r.svc.override('o1', 3.3, 0, 'until released');
    assert.equal(ok.ok, true);
    await r.run(20 * 60_000, 60_000);
    assert.equal(r.svc.snapshot().campaigns[0]!.mode, 'override', 'held until released');
    const rel = await r.svc.release('o1', 'done');
    assert.equal(rel.ok, true);
    assert.ok(r.events.some((e) => e.type === 'override-ended' && e.why === 'released'));
    assert.equal((await r.svc.release('o1')).ok, false, 'nothing left to release');
    assert.equal((await r.svc.pause('nope')).ok, false, 'unknown campaigns are refused');
    await r.svc.stop();
  });

  test('dry-run computes and records recommendations and makes zero PUTs', async () => {
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'd1', bounds: { min: 1, max: 6 }, mode: 'dry-run' }], auditDir: `${rig.auditDir}/d1` });
    r.svc.start();
    await r.run(60 * 60_000, 30_000);
    assert.equal(rig.sim.control.counters().putsByCampaign.d1 ?? 0, 0, 'the simulator saw no PUT');
    const records = auditFiles(`${rig.auditDir}/d1`).flatMap(readAuditFile).filter((x) => x.kind === 'decision' && x.outcome === 'dry-run');
    assert.ok(records.length > 10, `dry-run recommendations recorded (${records.length})`);
    assert.ok(records.some((x) => x.kind === 'decision' && x.newValue !== x.oldValue), 'some recommend a change');
    // The operator accepts the recommendation: one write, still in dry-run afterwards.
    const res = await r.svc.applyRecommendationNow('d1');
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(rig.sim.control.counters().putsByCampaign.d1 ?? 0, res.ok && res.outcome === 'applied' ? 1 : 0);
    assert.equal(r.svc.snapshot().campaigns[0]!.mode, 'dry-run');
    await r.svc.stop();
  });

  test('a restart in the middle of a hold resumes the hold, which then expires on time', async () => {
    const dir = `${rig.auditDir}/h1`;
    const first = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'h1', bounds: { min: 1, max: 6 } }], auditDir: dir });
    first.svc.start();
    await first.run(60_000, 30_000);
    const res = await first.svc.override('h1', 2.4, 30, 'hold across restart');
    assert.equal(res.ok, true);
    const holdUntil = first.svc.snapshot().campaigns[0]!.holdUntil!;
    await first.run(10 * 60_000, 30_000);
    await first.svc.stop();
    const puts = rig.sim.control.counters().putsByCampaign.h1 ?? 0;

    const second = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'h1', bounds: { min: 1, max: 6 } }], auditDir: dir });
    const snap = second.svc.snapshot().campaigns[0]!;
    assert.equal(snap.mode, 'override');
    assert.equal(snap.overrideValue, 2.4);
    assert.equal(snap.holdUntil, holdUntil);
    second.svc.start();
    await second.run(holdUntil - rig.clock.now() - 30_000, 30_000);
    assert.equal(rig.sim.control.counters().putsByCampaign.h1 ?? 0, puts, 'still held after the restart');
    assert.equal(second.svc.snapshot().campaigns[0]!.mode, 'override');
    await second.run(2 * 60_000, 30_000);
    assert.ok(second.events.some((e) => e.type === 'override-ended' && e.why === 'expired'));
    await second.svc.stop();
  });

  test('a paused campaign stays paused across a restart while its settings mode is unchanged', async () => {
    const dir = `${rig.auditDir}/p1`;
    const a = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'd1', bounds: { min: 1, max: 6 } }], auditDir: dir });
    assert.equal((await a.svc.pause('d1', 'maintenance window')).ok, true);
    await a.svc.stop();
    const b = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'd1', bounds: { min: 1, max: 6 } }], auditDir: dir });
    assert.equal(b.svc.snapshot().campaigns[0]!.mode, 'paused');
    const c = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'd1', bounds: { min: 1, max: 6 }, mode: 'dry-run' }], auditDir: dir });
    assert.equal(c.svc.snapshot().campaigns[0]!.mode, 'dry-run', 'a changed setting wins');
  });
});

describe('tuning loop: request budget', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ campaigns: [campaign('a1'), campaign('a2', { scenario: 'lunchDip' })], rateLimitPerMinute: 12 });
  });
  after(async () => rig.close());

  test('two campaigns at once stay within the rate budget: staggered, stretched, never a 429', async () => {
    const r = startService(rig, {
      api: rig.api,
      campaigns: [{ campaignId: 'a1', bounds: { min: 1, max: 6 } }, { campaignId: 'a2', bounds: { min: 1, max: 6 } }],
      requestBudgetPerMinute: 12,
    });
    r.svc.start();
    assert.equal(r.svc.snapshot().intervalsStretched, true, '2 × 4 requests every 30 s do not fit 12/min');
    await r.run(30 * 60_000, 1_000);
    await r.svc.stop();
    const c = rig.sim.control.counters();
    assert.equal(c.rateLimited, 0, 'the simulator never had to say 429');
    const decisions = (id: string) => r.events.filter((e) => e.campaignId === id && (e.type === 'applied' || e.type === 'unchanged')).length;
    assert.ok(decisions('a1') >= 10 && decisions('a2') >= 10, `both campaigns were tuned (${decisions('a1')}, ${decisions('a2')})`);
    const times = r.events.filter((e) => e.type === 'applied' || e.type === 'unchanged').map((e) => e.time);
    assert.ok(new Set(times).size === times.length, 'staggered: no two cycles at the same instant');
  });
});

// The emergency cut end to end, against the real simulator over HTTP: a campaign left far above
// its frontier drops calls; the loop cuts beyond the ±10 % step limit in one write, within the
// emergency limit, never rises by more than 10 %, and the audit trail and the event say why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditFiles, readAuditFile, type DecisionRecord } from '../../main/tuning/audit-log.ts';
import { LOOP_DEFAULTS } from '../../main/tuning/campaign-config.ts';
import { campaign, startRig, startService, type Rig } from './helpers/loop-fixture.ts';

describe('tuning loop: emergency cut', () => {
  let rig: Rig;
  before(async () => {
    // 20 agents at 9 lines per available agent: more than twice the frontier (about 4).
    rig = await startRig({ campaigns: [campaign('e1', { maxCallsPerAgent: 9 }), campaign('e2', { maxCallsPerAgent: 9 })] });
  });
  after(async () => rig.close());

  test('an abandon burst is cut at once, bounded, and audited as emergency-cut', async () => {
    const dir = `${rig.auditDir}/e1`;
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'e1', bounds: { min: 1, max: 10 } }], auditDir: dir });
    r.svc.start();
    await r.run(20 * 60_000, 30_000);
    await r.svc.stop();

    const applied = auditFiles(dir).flatMap(readAuditFile).filter((x): x is DecisionRecord => x.kind === 'decision' && x.outcome === 'applied');
    const cut = applied.find((x) => x.reason.startsWith('emergency-cut'));
    assert.ok(cut, `an emergency cut was applied (reasons: ${[...new Set(applied.map((x) => x.reason))].join(', ')})`);
    const ratio = cut.newValue! / cut.oldValue!;
    assert.ok(ratio < 0.9, `beyond the step limit: ${cut.oldValue} → ${cut.newValue}`);
    assert.ok(ratio >= 1 - LOOP_DEFAULTS.emergencyCut - 0.01, `within the emergency limit: ${cut.oldValue} → ${cut.newValue}`);
    assert.equal(cut.inputs['term.emergencyTrigger'], 1, 'the trigger (abandon excess) is in the record');
    assert.ok(cut.inputs['term.excessP']! < 0.01, 'with the test statistic');
    assert.ok(r.events.some((e) => e.type === 'applied' && e.reason.startsWith('emergency-cut') && e.newValue === cut.newValue), 'and in the applied event');
    assert.equal(rig.sim.control.campaign('e1')!.campaign.maxCallsPerAgentDecimal, applied.at(-1)!.newValue, 'the platform holds the last written value');
    for (const x of applied) {
      assert.ok(x.newValue! <= x.oldValue! * 1.1 + 0.005, `no rise beyond 10 %: ${x.oldValue} → ${x.newValue} (${x.reason})`);
      if (x.newValue! < x.oldValue! * 0.9 - 0.005) assert.ok(x.reason.startsWith('emergency-cut'), `only an emergency cut falls faster: ${x.reason}`);
    }
  });

  test('with emergencyCuts off every step stays within ±10 %, and the burst still comes down', async () => {
    const dir = `${rig.auditDir}/e2`;
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 'e2', bounds: { min: 1, max: 10 }, emergencyCuts: false }], auditDir: dir });
    r.svc.start();
    await r.run(20 * 60_000, 30_000);
    await r.svc.stop();
    const applied = auditFiles(dir).flatMap(readAuditFile).filter((x): x is DecisionRecord => x.kind === 'decision' && x.outcome === 'applied');
    assert.ok(applied.length > 0, 'the loop wrote');
    for (const x of applied) {
      const ratio = x.newValue! / x.oldValue!;
      assert.ok(ratio >= 0.9 - 0.005 && ratio <= 1.1 + 0.005, `within the step: ${x.oldValue} → ${x.newValue} (${x.reason})`);
      assert.ok(!x.reason.startsWith('emergency-cut'), `no emergency cut: ${x.reason}`);
    }
    assert.ok(applied.at(-1)!.newValue! < 9 * 0.5, `the value still came down, a step at a time: 9 → ${applied.at(-1)!.newValue}`);
  });
});

// The tuning loop's DriftSink and the health sampler, end to end into a real InfluxDB 1.x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InfluxDriftSink } from '../../main/telemetry/drift-sink.ts';
import { proxyHealthSamples, startHealthSampler } from '../../main/telemetry/health-sampler.ts';
import { ManualClock } from '../../main/util/clock.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { InfluxdRig } from '../helpers/tsdb-rig.ts';
import { openTestWriter } from './fixture.ts';

const skip = skipUnlessTools(TOOLS.influxd);
const campaign = { campaignId: 'c-0001', campaignName: 'Renewals \\Q4 "EU", west=1', region: 'mypurecloud.ie', controller: 'compliance-pi' as const, mode: 'auto' as const };
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

const signalAt = (i: number, current: number, recommended: number) => ({
  ...campaign, current, recommended, live: 100 + i, abandoned: 2, attempts: 400, connects: 120,
  windowAbandonPct: 2.1 + i, dayAbandonPct: 1.9, connectRatio: 0.3, idleAgents: 3, adjustedCallsPerAgent: 1.4, outcome: 'write', time: T0 + i * 30_000,
});

test('applied changes and cycle signals arrive as campaign_drift and campaign_signal points', { skip }, async (t) => {
  const rig = await InfluxdRig.start({ databases: ['pace'] });
  t.after(() => rig.close());
  const w = await openTestWriter(t, { config: { version: 'v1', url: rig.url, db: 'pace' } });
  const sink = new InfluxDriftSink({ writer: w.writer, log: w.log });

  const changes = [[1.5, 1.62], [1.62, 1.7], [1.7, 1.55]] as const;
  for (const [i, [oldRate, newRate]] of changes.entries()) {
    await sink.signal(signalAt(i, oldRate, newRate));
    // Stamped in the same millisecond as the signal: it must not overwrite anything.
    await sink.applied({ ...campaign, oldRate, newRate, drift: newRate - oldRate, abandonPct: 2.1 + i, connectRatio: 0.3, version: 10 + i, reason: i === 2 ? 'emergency-cut' : 'pi', time: T0 + i * 30_000 });
  }
  assert.equal(await w.writer.flush(), true, JSON.stringify(w.writer.health().lastError));

  const drift = await rig.rows('pace', 'campaign_drift');
  assert.equal(drift.length, 3);
  for (const [i, [oldRate, newRate]] of changes.entries()) {
    const row = drift.find((r) => r.version === 10 + i);
    assert.ok(row);
    assert.deepEqual(
      [row.campaign_id, row.campaign_name, row.region, row.controller, row.mode, row.old_rate, row.new_rate, row.connect_ratio],
      ['c-0001', campaign.campaignName, 'mypurecloud.ie', 'compliance-pi', 'auto', oldRate, newRate, 0.3],
    );
    assert.ok(Math.abs((row.drift as number) - (newRate - oldRate)) < 1e-12);
    assert.equal(row.reason, i === 2 ? 'emergency-cut' : 'pi', 'the decision reason is a string field');
    assert.equal(BigInt(row.time as number | bigint) / 1_000_000n, BigInt(T0 + i * 30_000), 'the time the loop stamped');
  }
  const signals = await rig.rows('pace', 'campaign_signal');
  assert.equal(signals.length, 3);
  assert.deepEqual(signals.map((r) => r.live).sort(), [100, 101, 102]);
  assert.deepEqual([signals[0]?.current_rate, signals[0]?.proposed_rate, signals[0]?.action, signals[0]?.adjusted_calls_per_agent], [1.5, 1.62, 'write', 1.4]);
  // Timestamps were taken at creation and differ, so nothing overwrote anything.
  assert.equal(new Set([...drift, ...signals].map((r) => String(r.time))).size, 6);
});

test('the sink never rejects: a point that cannot be spooled is logged, tuning carries on', { skip }, async (t) => {
  const rig = await InfluxdRig.start({ databases: ['pace'] });
  t.after(() => rig.close());
  const w = await openTestWriter(t, { config: { version: 'v1', url: rig.url, db: 'pace' } });
  const log = createMemoryLogger();
  const sink = new InfluxDriftSink({ writer: w.writer, log });
  await w.writer.close();
  await sink.applied({ ...campaign, oldRate: 1, newRate: 2, drift: 1, abandonPct: undefined, connectRatio: undefined, version: 1, time: T0 });
  const line = log.lines.find((l) => l.includes('telemetry point not recorded'));
  assert.ok(line);
  assert.equal(JSON.parse(line).code, 'TELEMETRY_SPOOL');
});

test('proxy_health points are sampled once a minute from the net layer health', { skip }, async (t) => {
  const rig = await InfluxdRig.start({ databases: ['pace'] });
  t.after(() => rig.close());
  const w = await openTestWriter(t, { config: { version: 'v1', url: rig.url, db: 'pace' } });
  await w.writer.write({ measurement: 'warmup', fields: { f: 1 }, timeNs: 1n });
  assert.equal(await w.writer.flush(), true);

  const clock = new ManualClock();
  const sampler = startHealthSampler({ writer: w.writer, clock, sources: [{ measurement: 'proxy_health', sample: () => proxyHealthSamples(w.net.health()) }] });
  t.after(() => sampler.stop());
  await clock.advance(59_000);
  assert.equal(w.writer.health().backlogPoints, 0, 'nothing before the minute is up');
  // The sampler's writes reach the spool a few event-loop turns after its timer fires, and it
  // arms the next minute only once they have: wait for each point before moving the clock on.
  const rowsAtLeast = async (n: number) => {
    let rows = await rig.rows('pace', 'proxy_health');
    for (let i = 0; i < 100 && rows.length < n; i++) {
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(await w.writer.flush(), true);
      rows = await rig.rows('pace', 'proxy_health');
    }
    return rows;
  };
  await clock.advance(1_000);
  assert.equal((await rowsAtLeast(1)).length, 1, 'one minute, one origin: one point');
  await clock.advance(60_000);
  const rows = await rowsAtLeast(2);
  assert.equal(rows.length, 2, 'two minutes, one origin: two points');
  assert.equal(rows[0]?.origin, `127.0.0.1:${rig.port}`);
  assert.equal(rows[0]?.route, 'direct');
  assert.ok((rows[0]?.connections_opened as number) >= 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodePoint } from '../../main/telemetry/line-protocol.ts';
import { campaignDriftPoint, campaignSignalPoint, flattenNumbers, healthPoint, portableTagValue } from '../../main/telemetry/points.ts';
import { NanoTimestamps } from '../../main/telemetry/timestamps.ts';
import { ManualClock } from '../../main/util/clock.ts';
import { parseLine } from './lp-reference-parser.ts';

const campaign = { campaignId: '3f1c2d9e-0000-4000-8000-000000000001', campaignName: 'Spring Sale, EU "B"', region: 'mypurecloud.ie', controller: 'compliance-pi', mode: 'auto' };

test('campaign_drift carries the rates, the drift and the campaign tags', () => {
  const p = campaignDriftPoint({ ...campaign, oldRate: 1.5, newRate: 1.75, abandonPct: 2.4, connectRatio: 0.31, version: 42, reason: 'pi' }, 10n);
  const back = parseLine(encodePoint(p), 'go');
  assert.equal(back.measurement, 'campaign_drift');
  assert.deepEqual(back.tags, { campaign_id: campaign.campaignId, campaign_name: campaign.campaignName, region: 'mypurecloud.ie', controller: 'compliance-pi', mode: 'auto' });
  assert.deepEqual(back.fields, {
    old_rate: { type: 'float', value: 1.5 }, new_rate: { type: 'float', value: 1.75 }, drift: { type: 'float', value: 0.25 },
    abandon_pct: { type: 'float', value: 2.4 }, connect_ratio: { type: 'float', value: 0.31 }, version: { type: 'integer', value: 42n },
    reason: { type: 'string', value: 'pi' },
  });
  assert.equal(back.timeNs, 10n);
});

test('missing or non-finite inputs are left out rather than written as zero', () => {
  const p = campaignDriftPoint({ ...campaign, oldRate: 2, newRate: 1.8, abandonPct: Number.NaN, connectRatio: undefined, version: 7 }, 1n);
  assert.deepEqual(Object.keys(parseLine(encodePoint(p), 'spec').fields).sort(), ['drift', 'new_rate', 'old_rate', 'version']);
});

test('campaign_signal flattens the controller inputs into snake_case fields', () => {
  const inputs = { window: { live: 120, abandoned: 3, spanSec: 1800 }, smoothed: { live: 4.5 }, day: { live: 900 }, agents: { ready: 5 }, daySec: 3600, label: 'ignored' };
  assert.deepEqual(flattenNumbers(inputs), { window_live: 120, window_abandoned: 3, window_span_sec: 1800, smoothed_live: 4.5, day_live: 900, agents_ready: 5, day_sec: 3600 });
  const p = campaignSignalPoint({ ...campaign, currentRate: 1.5, proposedRate: 1.62, abandonPct: 2.5, action: 'write', reason: 'pi', inputs }, 5n);
  const f = parseLine(encodePoint(p), 'go').fields;
  assert.equal(p.measurement, 'campaign_signal');
  assert.deepEqual([f.current_rate, f.proposed_rate, f.window_live, f.action], [
    { type: 'float', value: 1.5 }, { type: 'float', value: 1.62 }, { type: 'float', value: 120 }, { type: 'string', value: 'write' },
  ]);
});

test('property: any campaign name can be recorded, and an exact one whenever it is portable', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (name) => {
    const line = encodePoint(campaignDriftPoint({ ...campaign, campaignName: name, oldRate: 1, newRate: 2, version: 1 }, 1n));
    const back = parseLine(line, 'go').tags.campaign_name;
    assert.equal(back, portableTagValue(name) || undefined);
    if (!/[\r\n\\]/.test(name) && portableTagValue(name) === name) assert.equal(back, name || undefined);
  }), { numRuns: 2000 });
  assert.equal(portableTagValue('ends in \\'), 'ends in \u29F5');
  assert.equal(portableTagValue('C:\\Dialer\\Q4'), 'C:\\Dialer\\Q4');
  assert.equal(portableTagValue('two\nlines'), 'two lines');
});

test('health points keep numbers and booleans and drop non-finite values', () => {
  const p = healthPoint('proxy_health', { origin: 'api.mypurecloud.ie:443', route: 'proxy.corp:3128' }, { active: 2, up: true, lat: Number.NaN }, 3n);
  assert.equal(encodePoint(p), 'proxy_health,origin=api.mypurecloud.ie:443,route=proxy.corp:3128 active=2,up=true 3');
});

test('timestamps come from the clock in nanoseconds and never repeat within a millisecond', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5));
  const ts = new NanoTimestamps(clock);
  const base = BigInt(Date.UTC(2026, 0, 5)) * 1_000_000n;
  assert.deepEqual([ts.next(), ts.next(), ts.next()], [base, base + 1n, base + 2n]);
  await clock.advance(5);
  assert.equal(ts.next(), base + 5_000_000n);
});

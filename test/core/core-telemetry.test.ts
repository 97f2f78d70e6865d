// Telemetry through the real core: turning InfluxDB on in settings starts the writer and the
// once-a-minute `proxy_health` / `relay_health` sampler, against a real influxd; the loop's
// `campaign_signal` points arrive too. One virtual clock drives the simulator, loop and sampler.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../main/util/clock.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { InfluxdRig } from '../helpers/tsdb-rig.ts';
import { eventually, invoke, startCore, type CoreFixture } from './core-fixture.ts';

const skip = skipUnlessTools(TOOLS.influxd);

describe('core telemetry', { skip, timeout: 120_000 }, () => {
  let db: InfluxdRig;
  let f: CoreFixture;
  const clock = new ManualClock(Date.now());
  before(async () => {
    db = await InfluxdRig.start({ databases: ['pk'] });
    f = await startCore({ clock, simClock: clock });
  });
  after(async () => {
    await f?.close();
    await db?.close();
  });

  it('enabling InfluxDB starts drift and health points; turning it off stops them', async () => {
    const r = await invoke(f.core, 'settings:update', { patch: { influx: { enabled: true, version: 'v1', url: db.url, db: 'pk', flushIntervalMs: 100 } } });
    assert.equal(r.ok, true, JSON.stringify(r));
    await eventually(() => (f.core.state().telemetry.enabled ? true : undefined), 'telemetry on');
    // A minute and a bit of virtual time: tuning cycles run and the sampler fires once.
    for (let i = 0; i < 4; i++) await clock.advance(20_000);
    const rows = async (m: string) => {
      await clock.advance(200);
      const x = await db.rows('pk', m).catch(() => []);
      return x.length ? x : undefined;
    };
    const proxy = await eventually(() => rows('proxy_health'), 'proxy_health points');
    assert.ok(proxy.some((p) => typeof p.origin === 'string' && /^127\.0\.0\.1:\d+$/.test(String(p.origin)) && p.route === 'direct'), JSON.stringify(proxy[0], (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
    assert.ok(proxy.every((p) => Number(p.connections_opened) >= 1), 'the simulator origin has connections');
    const relay = await eventually(() => rows('relay_health'), 'relay_health points');
    assert.equal(Number(relay[0]!.upstream_channels), f.core.state().relay.upstreamChannels);
    assert.equal(Number(relay[0]!.sessions), f.core.state().relay.sessions);
    await eventually(() => rows('campaign_signal'), 'campaign_signal points');

    const off = await invoke(f.core, 'settings:update', { patch: { influx: { enabled: false } } });
    assert.equal(off.ok, true);
    await eventually(() => (f.core.state().telemetry.enabled ? undefined : true), 'telemetry off');
    const before = (await db.rows('pk', 'relay_health')).length;
    for (let i = 0; i < 4; i++) await clock.advance(30_000);
    await new Promise((res) => setTimeout(res, 300));
    assert.equal((await db.rows('pk', 'relay_health')).length, before, 'no sampler left running');
  });
});

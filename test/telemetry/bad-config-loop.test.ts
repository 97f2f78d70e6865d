// Bad telemetry configuration never stops tuning: the real tuning loop against the simulator hands
// its points to an InfluxDriftSink whose database is unreachable, or refuses the password. The
// writer reports a clear error in its health, the loop keeps applying changes, and every point the
// loop produced waits in the spool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { InfluxDriftSink } from '../../main/telemetry/drift-sink.ts';
import type { DriftSink } from '../../main/tuning/drift-sink.ts';
import { skipUnlessTools, TOOLS } from '../helpers/system-tools.ts';
import { InfluxdRig } from '../helpers/tsdb-rig.ts';
import { campaign, startRig, startService } from '../tuning/helpers/loop-fixture.ts';
import { openTestWriter, waitFor, type TestContextLike } from './fixture.ts';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const cases = [
  {
    name: 'an unreachable host', skip: false, code: 'TELEMETRY_UNREACHABLE', state: 'retrying', fix: /resent automatically/,
    config: async () => ({ config: { version: 'v2' as const, url: `http://127.0.0.1:${await closedPort()}`, org: 'ops', bucket: 'pacing' }, secret: 'token' }),
  },
  {
    name: 'a wrong password', skip: skipUnlessTools(TOOLS.influxd), code: 'TELEMETRY_AUTH', state: 'halted', fix: /influx\.username.*influx\.token/,
    config: async (t: TestContextLike) => {
      const db = await InfluxdRig.start({ databases: ['pace'], auth: { username: 'pk', password: 'right' } });
      t.after(() => db.close());
      return { config: { version: 'v1' as const, url: db.url, db: 'pace', username: 'pk' }, secret: 'wrong' };
    },
  },
];

for (const c of cases) {
  test(`${c.name} is a clear telemetry error and the tuning loop keeps running`, { skip: c.skip }, async (t) => {
    const rig = await startRig({ campaigns: [campaign('t1')] });
    t.after(() => rig.close());
    const w = await openTestWriter(t, await c.config(t));
    const influx = new InfluxDriftSink({ writer: w.writer, log: w.log });
    let produced = 0;
    const sink: DriftSink = {
      applied: (p) => (produced++, influx.applied(p)),
      signal: (p) => (produced++, influx.signal(p)),
    };
    const r = startService(rig, { api: rig.api, campaigns: [{ campaignId: 't1', bounds: { min: 1, max: 6 } }], sink });
    r.svc.start();
    await r.run(30 * 60_000, 30_000);
    await r.svc.stop();
    const applied = r.events.filter((e) => e.type === 'applied').length;
    assert.ok(applied >= 3, `the loop kept writing pacing values (${applied} applied)`);
    assert.ok(!r.events.some((e) => e.type === 'error'), 'telemetry failures are not tuning errors');
    assert.ok(produced > applied, `the loop handed its points to telemetry (${produced})`);
    const h = await waitFor(`state ${c.state}`, () => {
      const x = w.writer.health();
      return x.lastError && x.state === c.state ? x : undefined;
    });
    assert.equal(h.lastError?.code, c.code);
    assert.match(h.lastError?.message ?? '', /^POST http:\/\/127\.0\.0\.1:\d+\/(api\/v2\/)?write /);
    assert.match(h.lastError?.fix ?? '', c.fix);
    await waitFor('every point spooled', () => w.writer.health().backlogPoints === produced);
  });
}

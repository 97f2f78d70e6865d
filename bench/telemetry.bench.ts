// `npm run bench telemetry`: points per second into a real VictoriaMetrics, Pacekeeper's writer
// (durable spool, batches, the net layer) against the seed's approach (one POST per point, through
// the same net layer). Every round is checked by reading its points back. Flags: --points=N
// (per Pacekeeper round, default 50000), --seed-points=N (per seed round, default 2000), --gzip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNetLayer, type NetLayer } from '../main/net/index.ts';
import { encodePoint, type Point } from '../main/telemetry/line-protocol.ts';
import { campaignDriftPoint } from '../main/telemetry/points.ts';
import { InfluxWriter } from '../main/telemetry/writer.ts';
import { findExecutable } from '../test/helpers/system-tools.ts';
import { VictoriaMetricsRig } from '../test/helpers/tsdb-rig.ts';
import { countFlag } from './flags.ts';

const GOAL = 50;
const ROUNDS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const BASE_NS = 1_000_000_000_000_000n;

/**
 * A real campaign_drift point from the production builder: 50 campaigns, version = i, timestamps
 * 1 ms apart. Each run gets its own `mode` tag so the two runs are counted apart.
 */
function point(run: string, i: number): Point {
  const oldRate = 1.5 + (i % 5) / 100;
  return campaignDriftPoint({
    campaignId: `c-${i % 50}`, campaignName: `Campaign ${i % 50}, EU`, region: 'mypurecloud.ie', controller: 'compliance-pi', mode: run,
    oldRate, newRate: oldRate + (i % 7) / 100, abandonPct: 2.4, connectRatio: 0.31, version: i,
  }, BASE_NS + BigInt(i) * 1_000_000n);
}

async function countIn(vm: VictoriaMetricsRig, run: string, expected: number): Promise<number> {
  const series = await vm.exportSettled(`{__name__="campaign_drift_version",mode="${run}"}`, expected);
  return series.reduce((n, s) => n + s.values.length, 0);
}

async function pacekeeper(vm: VictoriaMetricsRig, net: NetLayer, n: number, gzip: boolean, run: string): Promise<number> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'pk-bench-spool-'));
  try {
    const writer = await InfluxWriter.open({
      config: { enabled: true, version: 'v2', url: vm.url, org: 'bench', bucket: 'bench', batchSize: 5_000, flushIntervalMs: 100, gzip },
      spoolDir, net, secrets: { get: async () => undefined },
    });
    const t0 = performance.now();
    // A burst, as after a controller sweep over many campaigns: writes are issued in chunks and
    // each resolves once spooled; the clock stops when the database has acknowledged every point.
    for (let i = 0; i < n; i += 1_000) {
      const chunk: Promise<void>[] = [];
      for (let j = i; j < Math.min(n, i + 1_000); j++) chunk.push(writer.write(point(run, j)));
      await Promise.all(chunk);
    }
    if (!(await writer.flush(120_000))) throw new Error(`Pacekeeper run did not drain: ${JSON.stringify(writer.health().lastError)}`);
    const secs = (performance.now() - t0) / 1000;
    await writer.close();
    const landed = await countIn(vm, run, n);
    if (landed !== n) throw new Error(`Pacekeeper run: ${landed} of ${n} points in the database`);
    return n / secs;
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

/** The seed: one unescaped-then-sent POST per point, awaited, nothing kept if it fails. */
async function seed(vm: VictoriaMetricsRig, net: NetLayer, n: number, run: string): Promise<number> {
  const url = `${vm.url}/api/v2/write?org=bench&bucket=bench&precision=ns`;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await net.request({ url, method: 'POST', body: `${encodePoint(point(run, i))}\n`, headers: { 'content-type': 'text/plain' }, retry: 'none', throwOnHttpError: false });
    if (res.status !== 204) throw new Error(`seed POST answered ${res.status}`);
  }
  const secs = (performance.now() - t0) / 1000;
  const landed = await countIn(vm, run, n);
  if (landed !== n) throw new Error(`seed run: ${landed} of ${n} points in the database`);
  return n / secs;
}

export async function run(flags: string[]): Promise<boolean> {
  if (!findExecutable('victoria-metrics')) {
    console.log('skipped: needs victoria-metrics; install with: sudo apt-get install victoria-metrics');
    return true;
  }
  const n = countFlag(flags, 'points', 50_000);
  const nSeed = countFlag(flags, 'seed-points', 2_000);
  const gzip = flags.includes('--gzip');
  const vm = await VictoriaMetricsRig.start();
  const net = await createNetLayer({ config: { proxy: { mode: 'direct' } }, secrets: { get: async () => undefined } });
  try {
    // Both sides get one untimed warm-up round (JIT, connection pool), then ROUNDS timed rounds,
    // interleaved so background load hits both alike; the median round is reported.
    await seed(vm, net, Math.min(200, nSeed), 'seed-warmup');
    await pacekeeper(vm, net, Math.min(10_000, n), gzip, 'pk-warmup');
    const seedRates: number[] = [];
    const pkRates: number[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      seedRates.push(await seed(vm, net, nSeed, `seed-${r}`));
      pkRates.push(await pacekeeper(vm, net, n, gzip, `pk-${r}`));
    }
    const seedRate = median(seedRates);
    const pkRate = median(pkRates);
    const ratio = pkRate / seedRate;
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const all = (xs: number[]) => xs.map(fmt).join(' / ');
    console.log(`VictoriaMetrics ${vm.url}; every point of every round read back from /api/v1/export`);
    console.log(`seed (one POST per point):            median ${fmt(seedRate)} points/s  (${nSeed} points/round: ${all(seedRates)})`);
    console.log(`pacekeeper (spool, batches of 5000${gzip ? ', gzip' : ''}): median ${fmt(pkRate)} points/s  (${n} points/round: ${all(pkRates)})`);
    console.log(`ratio: ${ratio.toFixed(1)}x  (goal >= ${GOAL}x: ${ratio >= GOAL ? 'met' : 'NOT met'})`);
    return ratio >= GOAL;
  } finally {
    await net.close();
    await vm.close();
  }
}

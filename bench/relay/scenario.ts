// One target end to end: simulator, system under test, load generators, the measured phases, and
// cleanup. Placement (notes/wsrelay.md §7.2): the server clients connect to runs on CPU 0 (relay,
// nginx, or the simulator itself for "direct"); everything else runs on CPU 1.
import { LogHistogram, type HistogramSummary } from '../../main/relay/histogram.ts';
import { childPids, cpuTicks, rssKb, startChild, TICKS_PER_SEC, type Child } from './ipc.ts';
import { startNginx, type Nginx } from './nginx.ts';
import { monoMs, topicWidths } from './workload.ts';

export type Target = 'relay' | 'nginx' | 'direct';

export interface ScenarioOptions {
  target: Target;
  sessions: number;
  seed: number;
  rates: number[];
  warmupMs: number;
  measureMs: number;
  loadgens: number;
  /**
   * Relay only: repeat the first (lowest) rate with every 20th client paused. At the lowest rate
   * the box is not saturated, so a change in healthy p99 is the paused clients' doing.
   */
  pausedRun: boolean;
  /** Relay only: SIGTERM at the end and time the drain. */
  drain: boolean;
  probeRate: number;
  log(line: string): void;
}

export interface RatePhase {
  rate: number;
  paused: boolean;
  deliveriesPerSec: number;
  sutCpuPct: number;
  platformCpuPct: number;
  /** All load generators together (they share CPU 1 with the emitter): near 100% means generator-bound. */
  generatorCpuPct: number;
  latency: Record<string, HistogramSummary>;
  /** Per event on 900–1,100-wide topics: scheduled time → last subscriber, ms. */
  timeToLast: HistogramSummary;
  emitterLagMaxMs: number;
  relayInternal?: {
    p50: number; p99: number; max: number; longestSliceMs: number; queueP99Bytes: number; slowCloses: number; coalesced: number;
    narrowDoneP99: number; wideDoneP99: number; wideDoneCount: number; loopDelayMaxMs: number; loopDelayP99Ms: number; noPongCloses: number;
  };
}

export interface ScenarioResult {
  target: Target;
  sessions: number;
  connected: number;
  failed: number;
  firstError: string;
  connectMs: number;
  uniqueTopics: number;
  upstreamConnections: number;
  rssPerSessionKb: number;
  /** Relay only: slope of V8 heapUsed over the same points. */
  heapPerSessionKb?: number;
  rssBaseKb: number;
  rssLoadedKb: number;
  sutProcesses: number;
  phases: RatePhase[];
  drain?: { drainMs: number; clientLastCloseMs: number; exitMs: number; closes: Record<string, number>; report: unknown };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den > 0 ? num / den : 0;
}
/** Pinned young generation for Node children (see the RSS note in runScenario). */
const NODE_MEM_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];
const FILE = (name: string) => new URL(`./${name}`, import.meta.url).pathname;

export async function runScenario(o: ScenarioOptions, cleanup: Array<() => Promise<void> | void>): Promise<ScenarioResult> {
  const sim = startChild(FILE('sim-child.ts'), o.target === 'direct' ? 0 : 1, NODE_MEM_FLAGS);
  cleanup.push(() => sim.kill());
  const simInfo = await sim.call<{ url: string; clientId: string; clientSecret: string; pid: number }>({ cmd: 'start', maxChannels: o.target === 'relay' ? 20 : 100_000 });
  const simPort = Number(new URL(simInfo.url).port);

  let relay: Child | undefined;
  let nginx: Nginx | undefined;
  let port = simPort;
  let token = '';
  let sutPids: () => number[] = () => [simInfo.pid];
  let baseRss: () => Promise<number>;
  const heapPoints: Array<[number, number]> = [];
  let sessionsNow = 0;
  if (o.target === 'relay') {
    // PK_BENCH_RELAY_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the relay.
    const extra = (process.env.PK_BENCH_RELAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
    relay = startChild(FILE('relay-child.ts'), 0, [...NODE_MEM_FLAGS, ...extra]);
    cleanup.push(() => relay?.kill());
    const r = await relay.call<{ port: number; token: string; pid: number }>({ cmd: 'start', url: simInfo.url, clientId: simInfo.clientId, clientSecret: simInfo.clientSecret });
    port = r.port;
    token = r.token;
    sutPids = () => [r.pid];
    baseRss = async () => {
      const m = await (relay as Child).call<{ rssKb: number; heapKb: number }>({ cmd: 'metrics', gc: true });
      heapPoints.push([sessionsNow, m.heapKb]);
      return m.rssKb;
    };
  } else if (o.target === 'nginx') {
    nginx = await startNginx(simPort, 0);
    cleanup.push(() => nginx?.stop());
    port = nginx.port;
    const master = nginx.proc.pid as number;
    // taskset execs nginx, so the spawned pid is the master; workers are its children.
    sutPids = () => [master, ...childPids(master)];
    baseRss = async () => sutPids().reduce((a, p) => a + rssKb(p), 0);
  } else {
    baseRss = async () => (await sim.call<{ rssKb: number }>({ cmd: 'rss' })).rssKb;
  }
  const rss0 = await baseRss();

  const widths = topicWidths(o.seed, o.sessions);
  let probe = 0;
  for (let i = 0; i < widths.length; i++) if (Math.abs(widths[i]! - 1000) < Math.abs(widths[probe]! - 1000)) probe = i;
  const gens: Child[] = [];
  const per = Math.ceil(o.sessions / o.loadgens);
  for (let g = 0; g < o.loadgens; g++) {
    const gen = startChild(FILE('loadgen.ts'), 1);
    cleanup.push(() => gen.kill());
    gens.push(gen);
  }
  const apiTokens = await Promise.all(gens.map(async () => (o.target === 'relay' ? token : (await sim.call<{ token: string }>({ cmd: 'token' })).token)));
  // Sessions open in four steps; the least-squares slope of RSS over those points is the
  // marginal cost per session, free of fixed costs (JIT code, heap headroom). Node children run
  // with a pinned young generation so its growth does not land between two readings.
  const STEPS = 4;
  const connectStep = (step: number) =>
    Promise.all(gens.map((gen, g) => {
      const from = Math.min(o.sessions, g * per);
      const to = Math.min(o.sessions, (g + 1) * per);
      const at = (k: number) => from + Math.floor(((to - from) * k) / STEPS);
      return gen.call<{ connected: number; failed: number; firstError: string }>({
        cmd: 'connect', mode: o.target === 'relay' ? 'relay' : 'genesys', host: '127.0.0.1', port, token: apiTokens[g],
        from: at(step), to: at(step + 1), seed: o.seed, widths: [...widths], probe,
        localAddresses: [0, 1, 2, 3].map((i) => `127.0.0.${10 + g * 4 + i}`), concurrency: 48,
      }, 600_000);
    }));
  let connectMs = 0;
  const connected: Array<{ connected: number; failed: number; firstError: string }> = [];
  const points: Array<[number, number]> = [];
  for (let step = 0; step < STEPS; step++) {
    const t0 = monoMs();
    connected.push(...(await connectStep(step)));
    sessionsNow = connected.reduce((a, c) => a + c.connected, 0);
    connectMs += monoMs() - t0;
    await sleep(1000);
    points.push([connected.reduce((a, c) => a + c.connected, 0), await baseRss()]);
  }
  const heapSlope = slope(heapPoints.slice(1));
  const result: ScenarioResult = {
    target: o.target, sessions: o.sessions, connectMs,
    connected: connected.reduce((a, c) => a + c.connected, 0),
    failed: connected.reduce((a, c) => a + c.failed, 0),
    firstError: connected.find((c) => c.firstError)?.firstError ?? '',
    uniqueTopics: [...widths].filter((w) => w > 0).length,
    upstreamConnections: 0, rssPerSessionKb: slope(points), rssBaseKb: rss0, rssLoadedKb: points.at(-1)?.[1] ?? 0, sutProcesses: sutPids().length, phases: [],
  };
  o.log(`  ${o.target}: ${result.connected}/${o.sessions} sessions in ${(connectMs / 1000).toFixed(1)} s${result.failed ? ` (${result.failed} failed: ${result.firstError})` : ''}`);
  if (relay) {
    result.upstreamConnections = (await relay.call<{ metrics: { upstream: { channels: number } } }>({ cmd: 'metrics' })).metrics.upstream.channels;
    result.heapPerSessionKb = heapSlope;
  } else result.upstreamConnections = (await sim.call<{ connected: number }>({ cmd: 'stats' })).connected;
  o.log(`  RSS: ${Math.round(rss0 / 1024)} MB empty; ${points.map(([n, kb]) => `${Math.round(kb / 1024)} MB at ${n}`).join(', ')}: ${result.rssPerSessionKb.toFixed(1)} KB/session (slope)${result.heapPerSessionKb ? `, V8 heap ${result.heapPerSessionKb.toFixed(1)} KB/session` : ''}`);

  const phases = o.rates.map((rate) => ({ rate, paused: false }));
  // Right after the unsaturated phase it is compared with, before anything can leave a backlog.
  if (o.pausedRun && relay) phases.splice(1, 0, { rate: o.rates[0] as number, paused: true });
  // A phase (and the drain) starts only once the previous phase's backlog is gone (bounded wait).
  const settle = async (): Promise<void> => {
    if (!relay) return;
    const r = relay;
    const settleBy = monoMs() + 30_000;
    while (monoMs() < settleBy) {
      const m = (await r.call<{ metrics: { fanout: { pendingJobs: number }; queue: { depthMaxBytes: number } } }>({ cmd: 'metrics' })).metrics;
      if (m.fanout.pendingJobs === 0 && m.queue.depthMaxBytes < 64 * 1024) return;
      await sleep(250);
    }
  };
  for (const ph of phases) {
    await settle();
    if (ph.paused) await Promise.all(gens.map((g) => g.call({ cmd: 'pause', every: 20 })));
    const emitting = sim.call<{ sent: number; lateMaxMs: number }>({ cmd: 'emit', rate: ph.rate, durationMs: o.warmupMs + o.measureMs, probe, probeRate: o.probeRate }, o.warmupMs + o.measureMs + 60_000);
    await sleep(o.warmupMs);
    await Promise.all(gens.map((g) => g.call({ cmd: 'reset' })));
    if (relay) await relay.call({ cmd: 'metrics', reset: true });
    const ticks0 = sutPids().reduce((a, p) => a + cpuTicks(p), 0);
    const simTicks0 = cpuTicks(simInfo.pid);
    const genTicks = () => gens.reduce((a, g) => a + cpuTicks(g.proc.pid as number), 0);
    const genTicks0 = genTicks();
    const w0 = monoMs();
    const emitted = await emitting;
    await sleep(300);
    const secs = (monoMs() - w0) / 1000;
    const sutCpuPct = (100 * (sutPids().reduce((a, p) => a + cpuTicks(p), 0) - ticks0)) / TICKS_PER_SEC / secs;
    const platformCpuPct = (100 * (cpuTicks(simInfo.pid) - simTicks0)) / TICKS_PER_SEC / secs;
    const generatorCpuPct = (100 * (genTicks() - genTicks0)) / TICKS_PER_SEC / secs;
    const reports = await Promise.all(gens.map((g) => g.call<GenReport>({ cmd: 'report' })));
    const latency: Record<string, HistogramSummary> = {};
    for (const cls of ['all', 'narrow', 'mid', 'wide', 'huge']) {
      const h = new LogHistogram();
      for (const r of reports) {
        const e = r.hist[cls];
        if (e) h.merge(e.counts, e.count, e.sum, e.max);
      }
      latency[cls] = h.summary();
    }
    const last = new Map<number, number>();
    for (const r of reports) for (const [e, l] of r.lastByEvent) last.set(e, Math.max(last.get(e) ?? 0, l));
    const ttl = new LogHistogram();
    for (const l of last.values()) ttl.record(l);
    const phase: RatePhase = {
      rate: ph.rate, paused: ph.paused, deliveriesPerSec: reports.reduce((a, r) => a + r.received, 0) / (o.measureMs / 1000),
      sutCpuPct: o.target === 'direct' ? platformCpuPct : sutCpuPct, platformCpuPct, generatorCpuPct, latency, timeToLast: ttl.summary(), emitterLagMaxMs: emitted.lateMaxMs,
    };
    if (relay) {
      const m = (await relay.call<{ metrics: RelayMetricsLite }>({ cmd: 'metrics' })).metrics;
      phase.relayInternal = {
        ...m.latencyMs, longestSliceMs: m.fanout.longestSliceMs, queueP99Bytes: m.queue.depthP99Bytes, slowCloses: m.closes.slowConsumer, coalesced: m.coalesced,
        narrowDoneP99: m.fanout.completionNarrowMs.p99, wideDoneP99: m.fanout.completionWideMs.p99, wideDoneCount: m.fanout.completionWideMs.count,
        loopDelayMaxMs: m.eventLoopDelayMs.max, loopDelayP99Ms: m.eventLoopDelayMs.p99, noPongCloses: m.closes.noPong,
      };
    }
    result.phases.push(phase);
    o.log(`  ${o.target} ${ph.rate}/s${ph.paused ? ' (5% paused)' : ''}: ${Math.round(phase.deliveriesPerSec)} deliveries/s, p50 ${latency.all?.p50.toFixed(1)} ms, p99 ${latency.all?.p99.toFixed(1)} ms, server CPU ${phase.sutCpuPct.toFixed(0)}%, generators ${generatorCpuPct.toFixed(0)}%${phase.relayInternal ? `; relay-internal: delivery p99 ${phase.relayInternal.p99.toFixed(1)} ms, last subscriber p99 ${phase.relayInternal.narrowDoneP99.toFixed(1)} ms (≤100 wide) / ${phase.relayInternal.wideDoneP99.toFixed(1)} ms (900–1,100), loop delay max ${phase.relayInternal.loopDelayMaxMs.toFixed(0)} ms` : ''}`);
    if (ph.paused) await Promise.all(gens.map((g) => g.call({ cmd: 'resume' })));
  }

  if (o.drain && relay) {
    await settle();
    await sleep(1000);
    // Count only the closes the drain causes (paused clients were dropped earlier for no pong).
    await Promise.all(gens.map((g) => g.call({ cmd: 'reset', closes: true })));
    const drained = new Promise<unknown>((resolve) => relay?.proc.on('message', (m: { event?: string; report?: unknown }) => m.event === 'drained' && resolve(m.report)));
    const sig = monoMs();
    relay.kill('SIGTERM');
    const report = (await Promise.race([drained, sleep(10_000)])) as { drainMs?: number } | undefined;
    await Promise.race([relay.exited, sleep(10_000)]);
    const exitMs = monoMs() - sig;
    await sleep(500);
    const reports = await Promise.all(gens.map((g) => g.call<GenReport>({ cmd: 'report' })));
    const closes: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.closes)) closes[k] = (closes[k] ?? 0) + v;
    const lastClose = Math.max(...reports.map((r) => r.lastCloseAt));
    result.drain = { drainMs: report?.drainMs ?? Number.NaN, clientLastCloseMs: lastClose - sig, exitMs, closes, report };
    o.log(`  drain: ${JSON.stringify(closes)} closes, last client closed ${(lastClose - sig).toFixed(0)} ms after SIGTERM, exit ${exitMs.toFixed(0)} ms`);
  }

  await Promise.all(gens.map((g) => g.call({ cmd: 'close' }).catch(() => undefined)));
  await Promise.all(gens.map((g) => g.call({ cmd: 'exit' }).catch(() => undefined)));
  relay?.kill('SIGKILL');
  await nginx?.stop();
  await sim.call({ cmd: 'close' }).catch(() => undefined);
  sim.kill('SIGKILL');
  return result;
}

interface GenReport {
  received: number;
  hist: Record<string, { counts: number[]; count: number; sum: number; max: number }>;
  lastByEvent: Array<[number, number]>;
  closes: Record<string, number>;
  lastCloseAt: number;
}

interface RelayMetricsLite {
  latencyMs: { p50: number; p99: number; max: number };
  eventLoopDelayMs: { p99: number; max: number };
  fanout: { longestSliceMs: number; completionNarrowMs: { p99: number }; completionWideMs: { p99: number; count: number } };
  queue: { depthP99Bytes: number };
  closes: { slowConsumer: number; noPong: number };
  coalesced: number;
}


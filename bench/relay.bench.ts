// `npm run bench relay`: the local relay side by side with nginx doing 1:1 WebSocket proxying and
// with clients connected straight to the platform (the simulator), on loopback, one run each
// (issue #6; method in notes/wsrelay.md §3 and §7.2). Flags:
//   --sessions=N (10000)  --stretch=N (19900, 0 to skip)  --targets=relay,nginx,direct
//   --measure-ms=N (12000)  --warmup-ms=N (3000)  --quick (1,000 sessions, short phases)  --strict
//   --nice=N (-10): scheduling priority of every benchmark process (0 = leave as is). On a shared
//   machine other work otherwise steals the pinned cores and turns into "latency". With the
//   kernel's autogroup scheduling, per-process nice only ranks processes of one session, so the
//   bench also sets its session's autogroup nice (/proc/self/autogroup) and restores it at the end.
// The 20-channel platform limit is lifted in the simulator for the nginx and direct baselines
// only (each of their clients needs its own channel; on Genesys they would break at the 21st).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { buildRows, renderDetails, renderTable } from './relay/report.ts';
import { placement } from './relay/ipc.ts';
import { runScenario, type ScenarioResult, type Target } from './relay/scenario.ts';
import { flag } from './flags.ts';

const HARD_LIMIT_MS = 20 * 60_000;

/** Sets this session's autogroup nice; returns how to put it back. No-op where unsupported. */
function setAutogroupNice(nice: number): () => void {
  const file = '/proc/self/autogroup';
  try {
    const before = /nice (-?\d+)/.exec(readFileSync(file, 'utf8'))?.[1];
    if (nice === 0 || before === undefined) return () => undefined;
    writeFileSync(file, String(nice));
    return () => {
      try {
        writeFileSync(file, before);
      } catch {
        // the session may be gone; nothing to restore
      }
    };
  } catch {
    return () => undefined;
  }
}

export async function run(flags: string[]): Promise<boolean> {
  const quick = flag(flags, 'quick') !== undefined;
  const sessions = Number(flag(flags, 'sessions') ?? (quick ? 1000 : 10_000));
  const stretch = Number(flag(flags, 'stretch') ?? (quick ? 0 : 19_900));
  const targets = (flag(flags, 'targets') ?? 'relay,nginx,direct').split(',') as Target[];
  const measureMs = Number(flag(flags, 'measure-ms') ?? (quick ? 4000 : 12_000));
  const warmupMs = Number(flag(flags, 'warmup-ms') ?? (quick ? 1500 : 3000));
  const rates = [200, 1000];
  placement.nice = Number(flag(flags, 'nice') ?? -10);
  const restoreAutogroup = setAutogroupNice(placement.nice);
  const cleanup: Array<() => Promise<void> | void> = [];
  const log = (line: string) => console.log(line);

  // The bench bounds itself: whatever happens, children are killed and the process moves on.
  const watchdog = setTimeout(() => {
    console.error(`relay bench exceeded ${HARD_LIMIT_MS / 60_000} min; stopping`);
    for (const c of cleanup.reverse()) void c();
    process.exit(1);
  }, HARD_LIMIT_MS);
  watchdog.unref();
  const onSignal = () => {
    for (const c of cleanup.reverse()) void c();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);

  log(`relay bench: ${sessions.toLocaleString('en')} sessions × 10 topics of 2,000 (Zipf 1.0), events at ${rates.join(' and ')}/s (≈470 B), ` +
    `warm-up ${warmupMs} ms, measured ${measureMs} ms; server on CPU 0, emitter and load generators on CPU 1, all at nice ${placement.nice}; nofile hard limit 20,000; ` +
    `load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on this 2-core machine skews latency).`);
  const results: Partial<Record<Target | 'stretch', ScenarioResult>> = {};
  try {
    for (const target of targets) {
      log(`\n## ${target}`);
      results[target] = await runScenario(
        { target, sessions, seed: 7, rates, warmupMs, measureMs, loadgens: Math.max(2, Math.ceil(sessions / 2500)), pausedRun: target === 'relay', drain: target === 'relay', probeRate: 4, log },
        cleanup,
      );
      for (const c of cleanup.splice(0).reverse()) await c();
    }
    if (stretch > 0 && targets.includes('relay')) {
      log(`\n## relay stretch (${stretch.toLocaleString('en')} sessions)`);
      results.stretch = await runScenario(
        { target: 'relay', sessions: stretch, seed: 7, rates: [200], warmupMs, measureMs, loadgens: Math.ceil(stretch / 5000), pausedRun: false, drain: true, probeRate: 0, log },
        cleanup,
      );
      for (const c of cleanup.splice(0).reverse()) await c();
    }
  } finally {
    for (const c of cleanup.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    restoreAutogroup();
  }

  const rows = buildRows(results, rates);
  log(`\n${renderTable(rows)}`);
  log(renderDetails(results));
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/relay-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ sessions, stretch, rates, loadavgEnd: loadavg(), results }, null, 2));
  log(`\nload average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}; raw results: ${file}`);
  const missed = rows.filter((r) => r.ok === false).length;
  return flag(flags, 'strict') !== undefined ? missed === 0 : true;
}

// Predictive-dialer model speed: wall time for 8 simulated hours of a predictive campaign, set against
// real time (the baseline a live dialer would need: 28,800 s). The tuning evaluation runs hundreds of
// such days (scenarios × seeds × controllers), so the goal is well under the 10-s line.
// Flags: --runs=N (timed runs per case, default 5; the median is reported).
import { createDialerModel, DAY_SEC, scenario, type Counts, type ScenarioName } from '../main/sim/dialer/index.ts';

const GOAL_MS = 10_000;

interface Case {
  label: string;
  name: ScenarioName;
  ratio: number;
  /** Advance in steps of this many simulated seconds, as the HTTP simulator does per request. */
  stepSec?: number;
}

const CASES: Case[] = [
  { label: '20 agents, r=4/avail, one advanceTo', name: 'steady', ratio: 4 },
  { label: '20 agents, r=4/avail, 0.25-s steps', name: 'steady', ratio: 4, stepSec: 0.25 },
  { label: '100 agents, r=5/avail, one advanceTo', name: 'largeTeam', ratio: 5 },
];

function once(c: Case, seed: number): { ms: number; counts: Counts } {
  const t0 = performance.now();
  const model = createDialerModel(scenario(c.name, { seed, pacing: { initial: c.ratio } }));
  if (c.stepSec === undefined) model.advanceTo(DAY_SEC);
  else for (let t = c.stepSec; t <= DAY_SEC; t += c.stepSec) model.advanceTo(t);
  model.advanceTo(DAY_SEC);
  const counts = model.snapshot().cumulative;
  return { ms: performance.now() - t0, counts };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

export async function run(flags: string[]): Promise<boolean> {
  const runsFlag = flags.find((f) => f.startsWith('--runs='));
  const runs = Math.max(1, Math.min(50, Number(runsFlag?.slice('--runs='.length) ?? 5) || 5));
  console.log(`8 simulated hours (${DAY_SEC} s) per run; median of ${runs} runs after one warm-up; baseline = real time.\n`);
  console.log(`${'case'.padEnd(40)} ${pad('wall ms', 9)} ${pad('× real time', 12)} ${pad('dials', 7)} ${pad('live', 6)} ${pad('connected', 9)} ${pad('abandoned', 9)}`);
  let ok = true;
  for (const c of CASES) {
    once(c, 1); // warm-up: JIT compile the hot paths
    const results = Array.from({ length: runs }, () => once(c, 1));
    const ms = median(results.map((r) => r.ms));
    const { dials, live, connected, abandoned } = (results[0] as { counts: Counts }).counts;
    const speedup = (DAY_SEC * 1000) / ms;
    console.log(
      `${c.label.padEnd(40)} ${pad(ms.toFixed(1), 9)} ${pad(Math.round(speedup).toLocaleString('en-US'), 12)} ${pad(dials, 7)} ${pad(live, 6)} ${pad(connected, 9)} ${pad(abandoned, 9)}`,
    );
    if (ms >= GOAL_MS) ok = false;
  }
  console.log(`\ngoal: every case under ${GOAL_MS / 1000} s of wall time per simulated 8-h day: ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

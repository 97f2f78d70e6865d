// `npm run bench ui`: frame time of the drift charts in real Chromium while they hold 24 h of 30-s
// cycles for 10 campaigns (2,880 points per series, 3 series per chart) and take live updates:
// every frame, every campaign gets its next cycle's point (the worst case: all ten finish a cycle
// in the same frame). Pacekeeper's chart (shared arrays, no parsing, min-max decimation, one
// coalesced 'none' update per frame) runs side by side with the naive baseline (fresh copies
// parsed by chart.js, no decimation, a full update per point) in the same browser, and the bench
// prints the ratios. Goal: frame time p95 ≤ 16 ms.
//
// The frame rate limit and vsync are off, so the time between animation frames is the real cost
// of a frame (script, chart drawing, paint), not the display's 16.7-ms cadence.
//
// Flags: --duration=MS (default 5000)  --campaigns=N (10)  --points=N (2880)  --no-save
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { findExecutable, TOOLS } from '../test/helpers/system-tools.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GOAL_P95_MS = 16;

function flag(flags: string[], name: string): string | undefined {
  const hit = flags.find((f) => f === `--${name}` || f.startsWith(`--${name}=`));
  if (!hit) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : '';
}

// The page-side harness, bundled from the renderer's own chart modules.
const HARNESS = `
import { DriftChart } from './charts/drift-chart.ts';
import { FrameScheduler } from './charts/frame-scheduler.ts';
import { HistoryStore } from './charts/history-buffer.ts';

const theme = { applied: '#0969da', recommended: '#8250df', abandon: '#bc4c00', band: 'rgba(26,127,55,0.14)', ceiling: '#cf222e', grid: 'rgba(89,99,110,0.2)', text: '#59636e', font: 'sans-serif' };
const band = { setpointPct: 2.5, ceilingPct: 3, min: 1, max: 3 };
const CYCLE = 30000;

function random(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

let s = null;
window.pkBench = {
  setup(o) {
    const grid = document.getElementById('grid');
    grid.replaceChildren();
    const store = new HistoryStore();
    const scheduler = new FrameScheduler();
    const rnd = random(42);
    const end = Date.now();
    const series = [];
    for (let c = 0; c < o.campaigns; c++) {
      let applied = 2, abandon = 2.2;
      const points = [];
      for (let i = o.points - 1; i >= 0; i--) {
        applied = Math.min(3, Math.max(1, applied + (rnd() - 0.5) * 0.04));
        abandon = Math.min(4.5, Math.max(0.2, abandon + (rnd() - 0.5) * 0.5 + 0.08 * (2.2 - abandon)));
        points.push({ t: end - i * CYCLE, applied, recommended: applied + 0.05, abandonPct: abandon });
      }
      store.merge('c' + c, points);
      series.push({ applied, abandon });
    }
    const t0 = performance.now();
    const charts = [];
    for (let c = 0; c < o.campaigns; c++) {
      const box = document.createElement('div');
      box.className = 'box';
      const canvas = document.createElement('canvas');
      box.append(canvas);
      grid.append(box);
      charts.push(new DriftChart(canvas, store.series('c' + c), { theme, band, decimation: o.decimation, incremental: o.incremental, scheduler, now: () => s ? s.t : end }));
    }
    s = { store, scheduler, charts, series, rnd, t: end, campaigns: o.campaigns };
    return { setupMs: performance.now() - t0 };
  },
  run(durationMs, warmupMs) {
    return new Promise((resolve) => {
      const intervals = [], work = [];
      let last = 0, started = 0;
      const frame = () => {
        const w0 = performance.now();
        if (!started) started = w0;
        const measuring = w0 - started >= warmupMs;
        if (last && measuring) intervals.push(w0 - last);
        last = w0;
        s.t += CYCLE;
        for (let c = 0; c < s.campaigns; c++) {
          const x = s.series[c];
          x.applied = Math.min(3, Math.max(1, x.applied + (s.rnd() - 0.5) * 0.04));
          x.abandon = Math.min(4.5, Math.max(0.2, x.abandon + (s.rnd() - 0.5) * 0.5 + 0.08 * (2.2 - x.abandon)));
          s.store.append('c' + c, { t: s.t, applied: x.applied, recommended: x.applied + 0.05, abandonPct: x.abandon });
          s.charts[c].invalidate();
        }
        // Pacekeeper draws the coalesced batch in this frame; the baseline already drew per point.
        s.scheduler.flush();
        if (measuring) work.push(performance.now() - w0);
        if (w0 - started < durationMs + warmupMs) requestAnimationFrame(frame);
        else resolve({ intervals, work });
      };
      requestAnimationFrame(frame);
    });
  },
};
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font: 12px sans-serif; }
#grid { display: grid; grid-template-columns: repeat(2, 620px); gap: 8px; padding: 8px; }
.box { position: relative; height: 240px; }
</style></head><body><div id="grid"></div><script src="harness.js"></script></body></html>`;

interface Variant {
  name: string;
  incremental: boolean;
  decimation: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'pacekeeper', incremental: true, decimation: true },
  { name: 'baseline', incremental: false, decimation: false },
];

interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? Number.NaN;
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? Number.NaN, n: s.length };
}

interface Result {
  variant: string;
  setupMs: number;
  frame: Stats;
  work: Stats;
  over16ms: number;
}

export async function run(flags: string[]): Promise<boolean> {
  const durationMs = Number(flag(flags, 'duration') ?? 5000);
  const campaigns = Number(flag(flags, 'campaigns') ?? 10);
  const points = Number(flag(flags, 'points') ?? 2880);
  if (![durationMs, campaigns, points].every((n) => Number.isInteger(n) && n > 0)) throw new RangeError('--duration, --campaigns and --points take positive integers');
  if (!findExecutable(TOOLS.chromium.bin)) {
    console.log(`skipped: needs ${TOOLS.chromium.bin} (sudo apt-get install ${TOOLS.chromium.apt})`);
    return true;
  }

  const dir = mkdtempSync(join(tmpdir(), 'pk-ui-bench-'));
  const profile = join(dir, 'profile');
  try {
    await build({
      stdin: { contents: HARNESS, resolveDir: join(ROOT, 'renderer'), sourcefile: 'ui-bench-harness.ts', loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      minify: true,
      outfile: join(dir, 'harness.js'),
      logLevel: 'warning',
    });
    writeFileSync(join(dir, 'index.html'), PAGE);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: TOOLS.chromium.bin,
      headless: true,
      viewport: { width: 1280, height: 1300 },
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        // Let frames run as fast as the work allows, so the interval is the frame's cost.
        '--disable-frame-rate-limit', '--disable-gpu-vsync',
      ],
    });
    const results: Result[] = [];
    try {
      for (const v of VARIANTS) {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(join(dir, 'index.html')).href);
        const { setupMs } = await page.evaluate((o) => (window as unknown as { pkBench: { setup(o: unknown): { setupMs: number } } }).pkBench.setup(o), { ...v, campaigns, points });
        const r = await page.evaluate(
          ([d, w]) => (window as unknown as { pkBench: { run(d: number, w: number): Promise<{ intervals: number[]; work: number[] }> } }).pkBench.run(d, w),
          [durationMs, 1000] as const,
        );
        if (errors.length) throw new Error(`${v.name}: page errors: ${errors.join('; ')}`);
        results.push({ variant: v.name, setupMs, frame: stats(r.intervals), work: stats(r.work), over16ms: r.intervals.filter((x) => x > GOAL_P95_MS).length });
        await page.close();
      }
    } finally {
      await context.close();
    }

    const [pk, base] = results as [Result, Result];
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1).padStart(7) : '      —');
    console.log(`drift charts: ${campaigns} campaigns × ${points} cycles × 3 series, ${campaigns} live points per frame, ${durationMs} ms measured, Chromium headless (software raster)\n`);
    console.log('variant      setup ms   frames   frame p50   frame p95   frame max   work p95   frames > 16 ms');
    for (const r of results) {
      console.log(`${r.variant.padEnd(12)} ${f(r.setupMs)}   ${String(r.frame.n).padStart(6)}   ${f(r.frame.p50)}     ${f(r.frame.p95)}     ${f(r.frame.max)}    ${f(r.work.p95)}   ${String(r.over16ms).padStart(6)} (${((100 * r.over16ms) / Math.max(1, r.frame.n)).toFixed(1)}%)`);
    }
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    console.log(`\nratios (baseline ÷ pacekeeper): frame p95 ${ratio(base.frame.p95, pk.frame.p95)}, work p95 ${ratio(base.work.p95, pk.work.p95)}, setup ${ratio(base.setupMs, pk.setupMs)}, frames drawn in the same time ${ratio(pk.frame.n, base.frame.n)} more`);
    const ok = pk.frame.p95 <= GOAL_P95_MS;
    console.log(`goal: pacekeeper frame time p95 ≤ ${GOAL_P95_MS} ms: ${ok ? 'met' : 'NOT met'} (${pk.frame.p95.toFixed(1)} ms)`);

    if (!flags.includes('--no-save')) {
      mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
      const file = join(ROOT, 'bench-results', `ui-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, JSON.stringify({ campaigns, points, durationMs, goalP95Ms: GOAL_P95_MS, results }, null, 2));
      console.log(`saved ${file}`);
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// "Best fixed ratio in hindsight": for one scenario and seed, the fixed pacing value with the best
// occupancy whose cumulative abandon stays within the limit. It knows the whole day in advance,
// which no controller can, so it is the efficiency yardstick, not a competitor.
//
// Sweep: a coarse grid from the lower bound upward, stopped once two grid points in a row are far
// over the limit (abandon rises steeply with the ratio), then a fine grid between the best
// feasible coarse point and the next one. Occupancy rises with the ratio, so the best feasible
// point sits at the edge the fine grid resolves.
import type { ScenarioName } from '../../sim/dialer/index.ts';
import { DEFAULT_EVAL_CONFIG, evaluateRun, type EvalConfig, type RunMetrics } from './evaluate-run.ts';

export interface OracleOptions {
  limitPct: number;
  coarseStep: number;
  fineStep: number;
}

export const DEFAULT_ORACLE_OPTIONS: Readonly<OracleOptions> = Object.freeze({ limitPct: 3, coarseStep: 0.25, fineStep: 0.05 });

export interface OracleResult {
  ratio: number;
  metrics: RunMetrics;
  /** Fixed ratios evaluated (for the report). */
  evaluated: number;
}

export function bestFixedRatio(name: ScenarioName, seed: number, cfg: EvalConfig = DEFAULT_EVAL_CONFIG, o: OracleOptions = DEFAULT_ORACLE_OPTIONS): OracleResult {
  const { min, max } = cfg.bounds;
  const runs = new Map<number, RunMetrics>();
  const at = (r: number): RunMetrics => {
    const key = Math.round(r * 100) / 100;
    let m = runs.get(key);
    if (!m) {
      m = evaluateRun(name, seed, { kind: 'fixed-ratio', value: key }, cfg);
      runs.set(key, m);
    }
    return m;
  };
  let farOver = 0;
  let lastFeasible: number | undefined;
  for (let r = min; r <= max + 1e-9 && farOver < 2; r += o.coarseStep) {
    const m = at(r);
    if (m.abandonPct <= o.limitPct) lastFeasible = r;
    farOver = m.abandonPct > 2 * o.limitPct ? farOver + 1 : 0;
  }
  if (lastFeasible !== undefined) {
    for (let r = lastFeasible + o.fineStep; r < Math.min(max, lastFeasible + o.coarseStep) - 1e-9; r += o.fineStep) at(r);
  }
  let best: { ratio: number; metrics: RunMetrics } | undefined;
  for (const [ratio, metrics] of runs) {
    if (metrics.abandonPct > o.limitPct) continue;
    if (!best || metrics.occupancyPct > best.metrics.occupancyPct) best = { ratio, metrics };
  }
  // No feasible fixed ratio (possible for tiny teams): report the lower bound, flagged by its abandon.
  if (!best) best = { ratio: min, metrics: at(min) };
  return { ...best, evaluated: runs.size };
}

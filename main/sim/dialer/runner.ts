// Drivers that run a model for a whole evaluation day: with a fixed pacing value, or with a tuner
// called every interval the way Pacekeeper's loop would be (read state, decide, write the value).
// The tuner sees only what a real dialer exposes (snapshot and counts), never pLive or future outcomes.
import type { Counts, DialerConfig, DialerModel, DialerSnapshot } from './types.ts';
import { createDialerModel, type DialerModelOptions } from './model.ts';
import { summarize, type RunSummary } from './metrics.ts';
import { DAY_SEC } from './scenarios.ts';

/** Upper bound on tuner calls per run, so a tiny interval fails fast instead of running for hours. */
const MAX_INTERVALS = 10_000_000;

export interface RatioPoint {
  /** From this time on… */
  tSec: number;
  /** …this pacing value was in force. */
  ratio: number;
}

export interface RunResult {
  model: DialerModel;
  durationSec: number;
  /** One bucket per whole simulated minute. */
  buckets: readonly Counts[];
  summary: RunSummary;
  /** Pacing value over time: the initial value, then each change a tuner made. */
  ratios: RatioPoint[];
}

export interface TunerObservation {
  /** Time of this decision (end of the interval). */
  tSec: number;
  /** Start of the interval just ended. */
  fromSec: number;
  /** State now, as a dialer's real-time stats would show it. */
  snapshot: DialerSnapshot;
  /** Counts over [fromSec, tSec). */
  interval: Counts;
  /** Counts over any earlier interval (clamped to [0, tSec]), like an analytics query. */
  counts(fromSec: number, toSec: number): Counts;
}

/** Returns the new pacing value, or undefined to keep the current one. */
export type OnInterval = (obs: TunerObservation) => number | undefined | void;

export interface RunOptions extends DialerModelOptions {
  /** Simulated length (s). Default: one 8-h day (DAY_SEC). */
  durationSec?: number;
}

function checkDuration(d: number): number {
  if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw new RangeError(`durationSec must be a finite number ≥ 0 (got ${d})`);
  return d;
}

/** Runs `config` for the duration with the pacing value fixed at `ratio` (default: config.pacing.initial). */
export function runFixed(config: DialerConfig, ratio?: number, options: RunOptions = {}): RunResult {
  const durationSec = checkDuration(options.durationSec ?? DAY_SEC);
  const model = createDialerModel(config, options);
  if (ratio !== undefined) model.setRatio(ratio);
  model.advanceTo(durationSec);
  const buckets = model.minuteBuckets();
  return { model, durationSec, buckets, summary: summarize(buckets), ratios: [{ tSec: 0, ratio: ratio ?? config.pacing.initial }] };
}

/**
 * Runs `config` and calls `onInterval` every `intervalSec` of simulated time (and once at the end
 * if the duration is not a multiple). The value it returns takes effect from the dialer tick at that
 * time on; a value ≤ 0 or non-finite throws RangeError (clamping is the tuner's job, as in Pacekeeper).
 *
 *     const r = runWithTuner(scenario('lunchDip', { seed }), 30, (obs) => controller.step(obs));
 *     r.summary.abandonPct; r.summary.occupancyPct; r.ratios;
 */
export function runWithTuner(config: DialerConfig, intervalSec: number, onInterval: OnInterval, options: RunOptions = {}): RunResult {
  const durationSec = checkDuration(options.durationSec ?? DAY_SEC);
  if (typeof intervalSec !== 'number' || !Number.isFinite(intervalSec) || intervalSec <= 0) {
    throw new RangeError(`intervalSec must be a finite number > 0 (got ${intervalSec})`);
  }
  if (durationSec / intervalSec > MAX_INTERVALS) {
    throw new RangeError(`intervalSec ${intervalSec} gives more than ${MAX_INTERVALS} tuner calls over ${durationSec} s`);
  }
  const model = createDialerModel(config, options);
  let current = config.pacing.initial;
  const ratios: RatioPoint[] = [{ tSec: 0, ratio: current }];
  const counts = (from: number, to: number) => model.counts(from, to);
  let from = 0;
  for (let k = 1; from < durationSec; k++) {
    const t = Math.min(k * intervalSec, durationSec);
    model.advanceTo(t);
    const next = onInterval({ tSec: t, fromSec: from, snapshot: model.snapshot(), interval: model.counts(from, t), counts });
    if (typeof next === 'number' && next !== current) {
      model.setRatio(next);
      current = next;
      ratios.push({ tSec: t, ratio: next });
    }
    from = t;
  }
  const buckets = model.minuteBuckets();
  return { model, durationSec, buckets, summary: summarize(buckets), ratios };
}

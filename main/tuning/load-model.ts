// Load-normalised abandon estimate: the compliance controller's measurement.
//
// A plain EWMA of abandons / live answers mixes cycles run at different pacing values: a long
// half-life is stable but lags (and a lagging integral loop oscillates), a short one is too noisy
// for an event that happens about 9 times an hour. Near the operating point abandon grows like a
// power of the offered load, abandon ≈ θ · x^k with x = value × answer-rate scale and k ≈ 5–12
// (notes/dialer.md §5.1). Weighting each cycle's live answers by x^k puts every cycle on the same
// footing, so the estimate can pool an hour of evidence and still answer for the current value:
//   θ̂ = Σ abandons / Σ live·x^k,   â(x) = θ̂ · x^k,
// with a prior of `priorLive` pseudo answers at the setpoint. A wrong k only changes how far one
// cycle's evidence moves the estimate; at a constant value it reduces to the count-weighted rate.

export interface LoadModelOptions {
  /** Assumed elasticity k of abandon to load. */
  elasticity: number;
  /** Half-life of the pooled evidence (min). */
  halfLifeMin: number;
}

export const DEFAULT_LOAD_MODEL_OPTIONS: Readonly<LoadModelOptions> = Object.freeze({ elasticity: 6, halfLifeMin: 30 });

export interface LoadModelState {
  /** Decayed abandons. */
  abandons: number;
  /** Decayed Σ live · x^k (x relative to 1). */
  exposure: number;
  /** Decayed live answers (for the evidence check). */
  live: number;
}

export const EMPTY_LOAD_MODEL: Readonly<LoadModelState> = Object.freeze({ abandons: 0, exposure: 0, live: 0 });

/**
 * Count-weighted abandon rate with a prior of `priorLive` pseudo live answers at `basePct`, as a
 * percentage: an empty or quiet sample reads `basePct`, never 0.
 */
export function priorEstimatePct(abandoned: number, live: number, basePct: number, priorLive: number): number {
  return (100 * (abandoned + (priorLive * basePct) / 100)) / (live + priorLive);
}

/** Live answers the pooled evidence is worth at load `x`. */
function liveAt(s: LoadModelState, x: number, o: LoadModelOptions): number {
  return s.exposure / Math.pow(x, o.elasticity);
}

/** Adds one cycle's counts, produced at load `x` over `dtSec`. Invalid input leaves the state as is. */
export function observeLoad(s: LoadModelState, x: number, live: number, abandoned: number, dtSec: number, o: LoadModelOptions): LoadModelState {
  if (!(x > 0) || !Number.isFinite(x) || !(live >= 0) || !(abandoned >= 0) || !(dtSec >= 0) || !Number.isFinite(live + abandoned + dtSec)) return s;
  const keep = Math.pow(0.5, dtSec / 60 / o.halfLifeMin);
  return {
    abandons: s.abandons * keep + abandoned,
    exposure: s.exposure * keep + live * Math.pow(x, o.elasticity),
    live: s.live * keep + live,
  };
}

/**
 * Predicted abandon %, at load `x`, with the prior. With no evidence it returns the setpoint, so
 * an empty model asks for no change.
 */
export function estimateAt(s: LoadModelState, x: number, setpointPct: number, priorLive: number, o: LoadModelOptions): number {
  return priorEstimatePct(s.abandons, liveAt(s, x, o), setpointPct, priorLive);
}

/** P(X ≥ k) for X ~ Poisson(mean); exact sum, fine for the small counts a window holds. */
export function poissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (!(mean > 0)) return 0;
  let term = Math.exp(-mean);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= mean / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

/**
 * Whether recent abandons are too many for the long model (one-sided Poisson test at `alpha`):
 * the team, the talk time or the plant's shape changed, and the long memory is now misleading.
 */
export function recentContradicts(longEstimatePct: number, recent: LoadModelState, x: number, o: LoadModelOptions, alpha: number): boolean {
  const expected = (longEstimatePct / 100) * liveAt(recent, x, o);
  const observed = Math.round(recent.abandons);
  return observed >= 2 && poissonUpperTail(observed, expected) < alpha;
}

// Window-budget guard: keeps the rolling 30-minute abandon window under a threshold by looking
// ahead, not back.
//
// The rolling-window terms elsewhere react to the window as it is (setpoint.ts lowers the target,
// the compliance controller cuts at 5.5 %). The tail they miss is a compound one: ordinary
// abandons cluster early in a window, then a change of plant (an answer-rate burst, the end of a
// lunch dip, a shift change) adds a few more before the abandon-excess test has its evidence, and
// the window ends over 8 %. The abandons already in the window stay there until they age out, so
// what matters is the budget they leave for the next minutes.
//
// From counts only (live answers and abandons per cycle, which the loop reads every cycle), for
// each future cycle h up to the window's length it projects the window then: the abandons and live
// answers that will still be in it, plus the next h cycles' live answers at the recent live rate
// and their abandons at the controller's expected rate (a count-weighted estimate with a prior),
// with a noise allowance of z standard deviations (abandons clump, so the variance is `dispersion`
// × Poisson). The largest abandon rate that keeps every projected window at or under
// `thresholdPct` is the allowed rate; the guard caps the value at the load that gives it:
//   - allowed rate above the expected one: rises are capped where the projection would reach the
//     threshold (usually far above the step limit, so the guard is silent);
//   - below it: no rise, and a cut in proportion, (allowed / expected)^(1/elasticity), never
//     aiming below `floorShare` × setpoint, so one cut is enough and a window that is lost anyway
//     cannot drive the value to the floor. A cut beyond the normal step is the documented
//     emergency cut (down only, within its bound, audited as `emergency-cut+window`).
// Windows with fewer than `minWindowLive` live answers are left alone: one abandon moves them by
// more than the guard's margin (a 5-agent team), and nothing a controller does keeps them under 8 %.
import { poissonUpperTail, priorEstimatePct } from './load-model.ts';

export interface WindowGuardOptions {
  /** The rolling window the guard protects (s). */
  windowSec: number;
  /** A projected window above this abandon % is not allowed (below the 8 % goal: margin). */
  thresholdPct: number;
  /** One-sided z of the allowance for the noise of future abandons. */
  z: number;
  /** Variance of future abandons relative to Poisson (they clump when all agents are busy). */
  dispersion: number;
  /** The recent live-answer rate used in the projection is measured over this look-back (s). */
  rateHorizonSec: number;
  /** The guard never aims the expected abandon rate below this share of the setpoint. */
  floorShare: number;
  /** Elasticity of abandon to load used to turn a rate into a value (lower: a bigger cut). */
  elasticity: number;
  /** Elasticity of live answers to load: a cut also thins the answers that dilute the window. */
  liveElasticity: number;
  /**
   * After a cut beyond the normal step (the guard's or the emergency cut's), the guard cuts by at
   * most the normal step for this long (s): the calls already answered and queued still drop, so
   * more cutting only thins the live answers that dilute the window.
   */
  settleSec: number;
  /** The guard acts only on windows with at least this many live answers. */
  minWindowLive: number;
  /**
   * Look-backs (s) of the recent-rate check: the expected rate is at least the lower confidence
   * bound (one-sided `recentAlpha`, shared by the look-backs) of the abandons seen over each, per
   * live answer at today's load. Empty: the controller's estimate alone.
   */
  recentHorizonsSec: readonly number[];
  recentAlpha: number;
  /** Prior of the recent rate: pseudo live answers at the controller's estimate. */
  priorLive: number;
}

export const DEFAULT_WINDOW_GUARD_OPTIONS: Readonly<WindowGuardOptions> = Object.freeze({
  windowSec: 1800,
  thresholdPct: 7,
  z: 1.64,
  dispersion: 1.5,
  rateHorizonSec: 600,
  floorShare: 0.3,
  elasticity: 4,
  liveElasticity: 0.3,
  settleSec: 120,
  minWindowLive: 100,
  recentHorizonsSec: Object.freeze([60, 120, 240]),
  recentAlpha: 0.05,
  priorLive: 10,
});

interface WindowCycle {
  live: number;
  abandoned: number;
  dtSec: number;
  /** The load (value × answer-rate scale) the cycle ran at. */
  load: number;
}

export interface WindowGuardState {
  /** The cycles of the last `windowSec`, newest last. */
  cycles: readonly WindowCycle[];
  /** Seconds left before the guard may cut beyond the normal step again (a cut takes time to show). */
  settleSec: number;
}

export const INITIAL_WINDOW_GUARD: Readonly<WindowGuardState> = Object.freeze({ cycles: Object.freeze([]), settleSec: 0 });

export function validateWindowGuardOptions(o: WindowGuardOptions): void {
  for (const k of ['windowSec', 'thresholdPct', 'rateHorizonSec', 'elasticity', 'dispersion'] as const) {
    if (!(o[k] > 0) || !Number.isFinite(o[k])) throw new RangeError(`windowGuard ${k} must be a positive number, got ${o[k]}`);
  }
  if (!o.recentHorizonsSec.every((h) => h > 0 && Number.isFinite(h))) throw new RangeError('windowGuard recentHorizonsSec must be positive numbers');
  if (!(o.recentAlpha > 0 && o.recentAlpha < 1)) throw new RangeError(`windowGuard recentAlpha must be in (0, 1), got ${o.recentAlpha}`);
  for (const k of ['z', 'minWindowLive', 'priorLive', 'liveElasticity', 'settleSec'] as const) {
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new RangeError(`windowGuard ${k} must be ≥ 0, got ${o[k]}`);
  }
  if (!(o.floorShare > 0 && o.floorShare <= 1)) throw new RangeError(`windowGuard floorShare must be in (0, 1], got ${o.floorShare}`);
}

/** Adds one cycle's counts, run at `load`; invalid input is ignored. Keeps the cycles inside the window. */
export function observeWindow(s: WindowGuardState, live: number, abandoned: number, dtSec: number, load: number, o: WindowGuardOptions): WindowGuardState {
  const settleSec = Math.max(0, s.settleSec - (dtSec >= 0 && Number.isFinite(dtSec) ? dtSec : 0));
  if (![live, abandoned, dtSec].every((v) => v >= 0 && Number.isFinite(v)) || !(load > 0) || !Number.isFinite(load)) return { ...s, settleSec };
  const cycles = [...s.cycles, { live, abandoned: Math.min(abandoned, live), dtSec, load }];
  let span = 0;
  let first = cycles.length;
  while (first > 0 && span + cycles[first - 1]!.dtSec <= o.windowSec + 1e-9) span += cycles[--first]!.dtSec;
  return { cycles: first > 0 ? cycles.slice(first) : cycles, settleSec };
}

/** What stays in the window `h` seconds from now, for each future cycle up to its renewal. */
interface Horizon {
  h: number;
  /** Abandons and live answers of the cycles still inside the window then. */
  abandoned: number;
  live: number;
}

/** Whether the window holds enough live answers for the guard to act. */
export function windowMaterial(s: WindowGuardState, o: WindowGuardOptions): boolean {
  let live = 0;
  for (const c of s.cycles) live += c.live;
  return live >= o.minWindowLive;
}

export interface WindowProjection {
  /** Live answers and abandons in the window now. */
  live: number;
  abandoned: number;
  /** Live answers per second over the recent look-back. */
  liveRate: number;
  /** Worst projected window at the current value, with the noise allowance, percent (0: not material). */
  projectedPct: number;
  /** Whether the window is large enough for the guard to act. */
  material: boolean;
}

interface Look {
  horizons: Horizon[];
  live: number;
  abandoned: number;
  liveRate: number;
}

function look(s: WindowGuardState, dtSec: number, o: WindowGuardOptions): Look {
  const n = s.cycles.length;
  // Suffix sums (newest back) and each cycle's start age.
  const startAge: number[] = new Array<number>(n);
  const sufLive: number[] = new Array<number>(n + 1).fill(0);
  const sufAb: number[] = new Array<number>(n + 1).fill(0);
  let age = 0;
  let recentLive = 0;
  let recentSec = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = s.cycles[i]!;
    age += c.dtSec;
    startAge[i] = age;
    sufLive[i] = sufLive[i + 1]! + c.live;
    sufAb[i] = sufAb[i + 1]! + c.abandoned;
    if (recentSec < o.rateHorizonSec) {
      recentLive += c.live;
      recentSec += c.dtSec;
    }
  }
  const horizons: Horizon[] = [];
  if (dtSec > 0) {
    // Retained at horizon h: the cycles that started at most windowSec − h ago (a suffix).
    let first = 0;
    for (let h = dtSec; h <= o.windowSec + 1e-9; h += dtSec) {
      while (first < n && startAge[first]! > o.windowSec - h + 1e-9) first++;
      horizons.push({ h, abandoned: sufAb[first]!, live: sufLive[first]! });
    }
  }
  return { horizons, live: sufLive[0]!, abandoned: sufAb[0]!, liveRate: recentSec > 0 ? recentLive / recentSec : 0 };
}

/**
 * The worst projected window (fraction) if the value is scaled by `c` now: new live answers at the
 * recent rate × c^liveElasticity, their abandons at `rate` × c^elasticity, plus z standard
 * deviations of noise. Scaling down lowers the abandons, and also the live answers that dilute
 * the ones already in the window.
 */
function worstAt(l: Look, rate: number, c: number, o: WindowGuardOptions): number {
  const liveRate = l.liveRate * Math.pow(c, o.liveElasticity);
  const r = rate * Math.pow(c, o.elasticity);
  let worst = 0;
  for (const x of l.horizons) {
    const lNew = liveRate * x.h;
    const total = x.live + lNew;
    if (!(total > 0)) continue;
    const mean = r * lNew;
    worst = Math.max(worst, (x.abandoned + mean + o.z * Math.sqrt(o.dispersion * mean)) / total);
  }
  return worst;
}

/** The projection at the current value; `usable` says whether the expected rate can be projected. */
function projectionOf(l: Look, expectedPct: number, usable: boolean, o: WindowGuardOptions): WindowProjection {
  const material = usable && l.live >= o.minWindowLive && l.horizons.length > 0 && Number.isFinite(expectedPct);
  return { live: l.live, abandoned: l.abandoned, liveRate: l.liveRate, projectedPct: material ? 100 * worstAt(l, expectedPct / 100, 1, o) : 0, material };
}

/** The worst projected window at the current value, with future abandons at `expectedPct`. */
export function projectWindow(s: WindowGuardState, expectedPct: number, dtSec: number, o: WindowGuardOptions): WindowProjection {
  return projectionOf(look(s, dtSec, o), expectedPct, expectedPct >= 0, o);
}

/** Lower confidence bound of a Poisson mean after `k` events: the μ with P(X ≥ k | μ) = alpha. */
export function poissonLowerBound(k: number, alpha: number): number {
  if (!(k > 0)) return 0;
  let lo = 0;
  let hi = k + 10 * Math.sqrt(k) + 10;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (poissonUpperTail(k, mid) < alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The recent abandon rate at load `loadNow`, percent: over each look-back, the lower confidence
 * bound of the abandons, per live answer weighted by (the cycle's load / loadNow)^elasticity (so a
 * cut since then counts), with a prior of `priorLive` pseudo answers at `basePct`; the largest
 * over the look-backs. With no abandons, or too few to be evidence, it stays at or under `basePct`.
 */
export function recentRatePct(s: WindowGuardState, loadNow: number, basePct: number, o: WindowGuardOptions): number {
  if (!(loadNow > 0) || o.recentHorizonsSec.length === 0) return 0;
  const level = o.recentAlpha / o.recentHorizonsSec.length;
  let best = 0;
  for (const h of o.recentHorizonsSec) {
    let abandoned = 0;
    let exposure = 0;
    let span = 0;
    for (let i = s.cycles.length - 1; i >= 0 && span < h; i--) {
      const c = s.cycles[i]!;
      abandoned += c.abandoned;
      exposure += c.live * Math.pow(c.load / loadNow, o.elasticity);
      span += c.dtSec;
    }
    if (abandoned === 0) continue;
    const mu = poissonLowerBound(abandoned, level);
    best = Math.max(best, priorEstimatePct(mu, exposure, basePct, o.priorLive));
  }
  return best;
}

export interface WindowGuardCap {
  /** Largest log step the guard allows this cycle, relative to `loadNow` (+Infinity: no limit). */
  cap: number;
  /** The expected abandon rate the projection used: the estimate, or the recent rate if higher. */
  expectedPct: number;
  projection: WindowProjection;
}

/** Grid of log scales the guard searches, from the largest cut to a doubling. */
const GRID = 48;

/**
 * The guard's cap on the next log step, relative to `loadNow` (where `estimatePct` holds): the
 * largest scale of the value whose projected windows all stay at or under the threshold. When
 * none does, the scale with the lowest worst window, and never a rise. Never aims the expected
 * rate below `floorShare` × setpoint; never below ln(1 − maxCut).
 */
export function windowGuardCap(
  s: WindowGuardState,
  estimatePct: number,
  loadNow: number,
  setpointPct: number,
  dtSec: number,
  maxCut: number,
  o: WindowGuardOptions,
): WindowGuardCap {
  // Recent abandons raise the expected rate only as evidence against the estimate (its prior).
  const expectedPct = Math.max(estimatePct, recentRatePct(s, loadNow, estimatePct, o));
  const l = look(s, dtSec, o);
  // A zero expected rate gives the guard nothing to scale.
  const projection = projectionOf(l, expectedPct, expectedPct > 0, o);
  if (!projection.material) return { cap: Number.POSITIVE_INFINITY, expectedPct, projection };
  const rate = expectedPct / 100;
  const theta = o.thresholdPct / 100;
  const lo = Math.log(1 - maxCut);
  const hi = Math.LN2;
  if (worstAt(l, rate, Math.exp(hi), o) <= theta) return { cap: Number.POSITIVE_INFINITY, expectedPct, projection };
  // The largest scale on the grid that keeps every projected window under the threshold…
  let ok: number | undefined;
  let best = lo;
  let bestWorst = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= GRID; i++) {
    const u = lo + ((hi - lo) * i) / GRID;
    const w = worstAt(l, rate, Math.exp(u), o);
    if (w <= theta) ok = u;
    if (w < bestWorst - 1e-12 && u <= 0) {
      best = u;
      bestWorst = w;
    }
  }
  let cap: number;
  if (ok !== undefined) {
    // …refined between it and the next grid point, which does not.
    let a = ok;
    let b = Math.min(hi, ok + (hi - lo) / GRID);
    for (let i = 0; i < 20; i++) {
      const m = (a + b) / 2;
      if (worstAt(l, rate, Math.exp(m), o) <= theta) a = m;
      else b = m;
    }
    cap = a;
  } else {
    // …or, when no scale keeps it there, the one with the lowest worst window, never a rise.
    cap = Math.min(0, best);
  }
  // Never aim below the floor: one cut is enough, and a window lost anyway cannot drive the value down.
  const floor = (o.floorShare * setpointPct) / expectedPct;
  if (cap < 0) cap = Math.min(0, Math.max(cap, floor < 1 ? Math.log(floor) / o.elasticity : 0));
  return { cap: Math.max(lo, cap), expectedPct, projection };
}

/** After a cut beyond the normal step: the guard cuts no further than the step for `settleSec`. */
export function afterBigCut(s: WindowGuardState, o: WindowGuardOptions): WindowGuardState {
  return { ...s, settleSec: o.settleSec };
}

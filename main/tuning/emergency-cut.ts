// Emergency cut: the one documented exception to the ±10 % step limit (notes/dialer.md §5.3 item 3:
// "no update larger than ±10 % of the ratio, except a documented emergency cut").
//
// The PI and its step limit are built for noise: abandons are rare, so they move the value slowly.
// When the plant itself changes (the answer rate jumps, half the team logs off), 10 % per cycle
// needs minutes to undo the over-dialing, and those minutes fill a 30-minute window with abandons.
// This path notices within a cycle or a few, from the counts the loop already reads every cycle
// (live answers and abandons from analytics; attempts and connects from the campaign stats):
//   - abandon excess: the abandons of the last 1–8 minutes against the ceiling, a one-sided
//     Poisson test on counts, never on a ratio. The expectation carries a prior of `priorLive`
//     pseudo answers at the ceiling, so a quiet or empty window cannot fire. It also needs at
//     least `minAbandons` abandons, p < alpha / horizons (Bonferroni), and an excess large enough
//     to move a 30-minute window by `minWindowPts` points (a burst of 10 threatens 20 agents'
//     window, not 100 agents').
//   - throughput drop: live answers over the last `dropHorizonSec` far below their 30-minute
//     reference while the connect ratio has not fallen and our own value has not: fewer agents
//     are taking calls (a shift change), and the value that suited the old team over-dials.
// A cut only ever goes down. It is sized from the evidence (the load change that brings the
// short-horizon rate back to the setpoint under `elasticity`; or share^`dropExponent` of a
// throughput drop), never smaller than the normal step and never larger than `maxCut`, which the
// loop's guard enforces too (guards.ts). The evidence is then spent, so the same abandons cannot
// cut twice, and the value does not rise for `holdSec`. The decision is audited with the reason
// `emergency-cut` (`emergency-cut+throughput`) and its test statistics as terms.
import { poissonUpperTail, priorEstimatePct } from './load-model.ts';
import type { CountSample } from './signal-window.ts';

export interface EmergencyCutOptions {
  /** Look-back horizons of the abandon-excess test (s). */
  horizonsSec: readonly number[];
  /** One-sided significance of the test, shared by all horizons (Bonferroni). */
  alpha: number;
  /** Never fire on fewer abandons than this… */
  minAbandons: number;
  /**
   * …or on an excess (abandons over the ceiling's expectation) that would move a 30-minute window
   * by fewer points than this: 10 extra abandons threaten 20 agents' window, not 100 agents'.
   */
  minWindowPts: number;
  /** Prior: pseudo live answers at the ceiling added to the expected count. */
  priorLive: number;
  /** Largest cut in one cycle (fraction of the value). The loop's guard allows no more. */
  maxCut: number;
  /** Elasticity of abandon to load used to size a cut (lower than the model's: a bigger cut). */
  elasticity: number;
  /** After a cut, the value does not rise for this long (s). */
  holdSec: number;
  /** Throughput test: look-back (s), and the half-life of its reference rate (min). */
  dropHorizonSec: number;
  dropHalfLifeMin: number;
  /** The reference needs this much history (min) before the test runs. */
  dropWarmupMin: number;
  /** Fire when live answers fall below this share of the reference, at one-sided level `dropAlpha`. */
  dropRatio: number;
  dropAlpha: number;
  /** Not a team change when the connect ratio is down at z ≤ −this (the answer rate fell). */
  dropAnswerFallZ: number;
  /** Exponent of the cut on a throughput drop: value × (live share)^exponent. */
  dropExponent: number;
  /** Not a team change when the value itself ran this share below the reference's (our own cut). */
  dropOwnCut: number;
}

export const DEFAULT_EMERGENCY_CUT_OPTIONS: Readonly<EmergencyCutOptions> = Object.freeze({
  horizonsSec: Object.freeze([60, 120, 240, 480]),
  alpha: 0.005,
  minAbandons: 3,
  minWindowPts: 1.5,
  priorLive: 10,
  maxCut: 0.5,
  elasticity: 4,
  holdSec: 300,
  dropHorizonSec: 240,
  dropHalfLifeMin: 30,
  dropWarmupMin: 20,
  dropRatio: 0.7,
  dropAlpha: 0.005,
  dropAnswerFallZ: 1.5,
  dropExponent: 1,
  dropOwnCut: 0.2,
});

/** One cycle's evidence. */
interface Cycle extends CountSample {
  dtSec: number;
  /** The pacing value in force during the cycle. */
  value: number;
}

/** Decayed sums: the throughput test's reference. */
interface Reference {
  live: number;
  attempts: number;
  connects: number;
  sec: number;
  /** Decayed Σ value · dt (the reference's average value is valueSec / sec). */
  valueSec: number;
  /** Undecayed history (s), for the warm-up. */
  age: number;
}

export interface EmergencyState {
  /** Recent cycles, newest last, covering at most the longest horizon. */
  cycles: readonly Cycle[];
  /** Seconds left of the no-rise hold after the last cut. */
  holdSec: number;
  ref: Reference;
}

export const INITIAL_EMERGENCY: Readonly<EmergencyState> = Object.freeze({
  cycles: Object.freeze([]),
  holdSec: 0,
  ref: Object.freeze({ live: 0, attempts: 0, connects: 0, sec: 0, valueSec: 0, age: 0 }),
});

export function validateEmergencyOptions(o: EmergencyCutOptions, maxStep: number): void {
  if (!(o.horizonsSec.length > 0) || !o.horizonsSec.every((h) => h > 0 && Number.isFinite(h))) throw new RangeError('emergency horizonsSec must be positive numbers');
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`emergency alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.maxCut > maxStep && o.maxCut < 1)) throw new RangeError(`emergency maxCut must be in (maxStep, 1), got ${o.maxCut}`);
  for (const k of ['minAbandons', 'minWindowPts', 'priorLive', 'elasticity', 'holdSec', 'dropHorizonSec', 'dropHalfLifeMin', 'dropWarmupMin', 'dropRatio', 'dropAlpha', 'dropAnswerFallZ', 'dropExponent', 'dropOwnCut'] as const) {
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new RangeError(`emergency ${k} must be ≥ 0, got ${o[k]}`);
  }
  if (!(o.elasticity > 0)) throw new RangeError('emergency elasticity must be > 0');
}

/** One cycle's counts, as the loop's signal window keeps them. */
export type CycleCounts = CountSample;

/** Adds one cycle's counts, run at `value`; invalid counts are ignored. The hold counts down. */
export function observeEmergency(s: EmergencyState, c: CycleCounts, value: number, dtSec: number, o: EmergencyCutOptions): EmergencyState {
  const holdSec = Math.max(0, s.holdSec - (dtSec >= 0 && Number.isFinite(dtSec) ? dtSec : 0));
  const { live, abandoned, attempts, connects } = c;
  if (![live, abandoned, attempts, connects, dtSec, value].every((v) => v >= 0 && Number.isFinite(v))) return { ...s, holdSec };
  const longest = Math.max(o.dropHorizonSec, ...o.horizonsSec);
  const cycles = [...s.cycles, { live, abandoned: Math.min(abandoned, live), attempts, connects: Math.min(connects, attempts), dtSec, value }];
  // Keep just enough cycles to cover the longest horizon.
  let span = 0;
  let first = cycles.length;
  while (first > 0 && span < longest) span += cycles[--first]!.dtSec;
  const keep = Math.pow(0.5, dtSec / 60 / o.dropHalfLifeMin);
  const r = s.ref;
  const ref = {
    live: r.live * keep + live,
    attempts: r.attempts * keep + attempts,
    connects: r.connects * keep + Math.min(connects, attempts),
    sec: r.sec * keep + dtSec,
    valueSec: r.valueSec * keep + value * dtSec,
    age: r.age + dtSec,
  };
  return { cycles: cycles.slice(first), holdSec, ref };
}

function sums(s: EmergencyState, horizonSec: number): CycleCounts & { span: number; valueSec: number } {
  const t = { live: 0, abandoned: 0, attempts: 0, connects: 0, span: 0, valueSec: 0 };
  for (let i = s.cycles.length - 1; i >= 0 && t.span < horizonSec; i--) {
    const c = s.cycles[i]!;
    t.live += c.live;
    t.abandoned += c.abandoned;
    t.attempts += c.attempts;
    t.connects += c.connects;
    t.span += c.dtSec;
    t.valueSec += c.value * c.dtSec;
  }
  return t;
}

export interface AbandonExcess {
  /** The smallest p-value over the horizons (1 when nothing to test). */
  p: number;
  /** Counts at that horizon. */
  abandoned: number;
  live: number;
  horizonSec: number;
  /** Significant at alpha / horizons with at least `minAbandons`. */
  fire: boolean;
}

/**
 * One-sided Poisson test of recent abandons against the ceiling, at each horizon. `windowLive`
 * is the live answers a 30-minute window holds at the current pace (the materiality yardstick).
 */
export function abandonExcess(s: EmergencyState, ceilingPct: number, windowLive: number, o: EmergencyCutOptions): AbandonExcess {
  let best: AbandonExcess = { p: 1, abandoned: 0, live: 0, horizonSec: 0, fire: false };
  const level = o.alpha / o.horizonsSec.length;
  for (const h of o.horizonsSec) {
    const { live, abandoned } = sums(s, h);
    const expected = (ceilingPct / 100) * (live + o.priorLive);
    const p = abandoned > 0 ? poissonUpperTail(abandoned, expected) : 1;
    const material = abandoned - expected >= (o.minWindowPts / 100) * windowLive;
    const fire = abandoned >= o.minAbandons && material && p < level;
    if ((fire && !best.fire) || (fire === best.fire && p < best.p)) best = { p, abandoned, live, horizonSec: h, fire };
  }
  return best;
}

/**
 * Log step of a cut for an excess: the load change that brings the short-horizon rate (counts
 * with the prior, at the setpoint) back to the setpoint, between the normal step and `maxCut`.
 */
export function cutFor(x: Pick<AbandonExcess, 'abandoned' | 'live'>, setpointPct: number, maxStep: number, o: EmergencyCutOptions): number {
  const ratePct = priorEstimatePct(x.abandoned, x.live, setpointPct, o.priorLive);
  const wanted = Math.log(setpointPct / Math.max(setpointPct, ratePct)) / o.elasticity;
  return Math.max(Math.log(1 - o.maxCut), Math.min(Math.log(1 - maxStep), wanted));
}

export interface ThroughputDrop {
  /** Live answers over the horizon / the reference's expectation. */
  share: number;
  /** One-sided p of so few live answers. */
  p: number;
  fire: boolean;
}

/**
 * Live answers per second over the last `dropHorizonSec`, against the reference rate: with the
 * same answer rate, a clear fall means fewer agents (a shift change), and the value that suited
 * the old team over-dials the new one. A fall in the connect ratio (the answer rate fell, which
 * also lowers throughput until the value catches up) is not a team change and never fires.
 */
export function throughputDrop(s: EmergencyState, o: EmergencyCutOptions): ThroughputDrop {
  const none = { share: 1, p: 1, fire: false };
  const r = s.ref;
  const h = sums(s, o.dropHorizonSec);
  if (r.age < o.dropWarmupMin * 60 || !(r.sec > 0) || h.span < o.dropHorizonSec || !(r.live > 0)) return none;
  const expected = (r.live / r.sec) * h.span;
  const share = h.live / expected;
  // Fewer answers because we dial less (a cut of our own) say nothing about the team.
  if (h.valueSec / h.span < (1 - o.dropOwnCut) * (r.valueSec / r.sec)) return { share, p: 1, fire: false };
  // Even weak evidence that the connect ratio fell vetoes: the cut would go the wrong way.
  const pRef = r.attempts > 0 ? r.connects / r.attempts : 0;
  if (h.attempts > 0 && pRef > 0 && pRef < 1) {
    const z = (h.connects - h.attempts * pRef) / Math.sqrt(h.attempts * pRef * (1 - pRef));
    if (z <= -o.dropAnswerFallZ) return { share, p: 1, fire: false };
  }
  const p = 1 - poissonUpperTail(h.live + 1, expected);
  return { share, p, fire: share < o.dropRatio && p < o.dropAlpha };
}

/** Log step for a throughput drop: value × share^exponent, between the normal step and `maxCut`. */
export function dropCutFor(share: number, maxStep: number, o: EmergencyCutOptions): number {
  const wanted = o.dropExponent * Math.log(Math.max(1e-3, share));
  return Math.max(Math.log(1 - o.maxCut), Math.min(Math.log(1 - maxStep), wanted));
}

export interface EmergencyCheck {
  /** What fired, if anything (the abandon excess wins a tie: it is direct evidence). */
  trigger: 'abandons' | 'throughput' | undefined;
  /** Log step of the cut (0 when nothing fired). */
  cut: number;
  /** Smallest p of the abandon-excess test, and the live share of the throughput test (audit). */
  excessP: number;
  liveShare: number;
}

/** Both tests, and the cut the larger one asks for. */
export function emergencyCheck(s: EmergencyState, ceilingPct: number, setpointPct: number, maxStep: number, o: EmergencyCutOptions): EmergencyCheck {
  const r = s.ref;
  const windowLive = r.sec > 0 ? (r.live / r.sec) * 1800 : 0;
  const ex = abandonExcess(s, ceilingPct, windowLive, o);
  const drop = throughputDrop(s, o);
  let trigger: EmergencyCheck['trigger'];
  let cut = 0;
  if (ex.fire) {
    trigger = 'abandons';
    cut = cutFor(ex, setpointPct, maxStep, o);
  }
  if (drop.fire) {
    const dropCut = dropCutFor(drop.share, maxStep, o);
    if (dropCut < cut) {
      trigger = 'throughput';
      cut = dropCut;
    }
  }
  return { trigger, cut, excessP: ex.p, liveShare: drop.share };
}

/**
 * After a cut: the evidence is spent and the no-rise hold starts. After a throughput cut the
 * reference takes the new rate, so the same fall cannot cut twice.
 */
export function afterCut(s: EmergencyState, o: EmergencyCutOptions, rebase: boolean): EmergencyState {
  let ref = s.ref;
  if (rebase) {
    const h = sums(s, o.dropHorizonSec);
    if (h.span > 0) ref = { ...ref, live: (h.live / h.span) * ref.sec, attempts: (h.attempts / h.span) * ref.sec, connects: (h.connects / h.span) * ref.sec };
  }
  return { cycles: [], holdSec: o.holdSec, ref };
}

// The compliance controller: PI with anti-windup on the abandon rate (notes/dialer.md §5.2).
//
// - Measurement: abandons per live answer, count-weighted, with a prior of `priorLive` pseudo
//   answers at the setpoint, so a window with zero abandons reads "below setpoint", never 0, and
//   cannot produce the seed law's ×30 jump. By default the evidence is load-normalised
//   (load-model.ts), so an hour of it answers for the current value without an hour of lag.
// - Error in log space, ln(sp / estimate): abandon grows like a power of the load, so a log-log
//   loop has about the same gain for 5 agents as for 100.
// - Incremental (velocity) form: each step moves the applied value, so the integral is the output
//   itself and cannot wind up past a clamp or the step limit. When the value is clamped the state
//   keeps the clamped value (back-calculation); nothing is left to unwind when the error turns.
// - A cumulative-budget term moves the setpoint to spend or repay the day's budget.
// - Hard ceiling, two views. Campaign day: at the ceiling (minus a margin) the value never rises,
//   and it is cut by the full step while the current estimate is still above the (budget-lowered)
//   setpoint. Rolling window: while the last `windowMinutes` ran at or above the ceiling, the value
//   never rises unless it is already well below the load that produced them (a stale window must
//   not pin the value at the bottom). Upward steps also taper to zero as the estimate or the day
//   nears the ceiling; downward steps never taper.
// - Feed-forward: a clear step in the answer (connect) rate moves the value by the inverse step
//   (answer-shift.ts), within the same per-cycle step budget, before abandons pile up.
// - Rolling window as a constraint: while the last 30 minutes ran over the ceiling, the setpoint
//   drops to repay them before they leave the window; a window running under it spends a little.
// - Emergency cut (emergency-cut.ts): the one documented exception to the step limit, down only,
//   bounded, on a significant abandon excess or a team-size drop; then a short no-rise hold.
// - Window-budget guard (window-guard.ts): projects the rolling window over the next cycles from
//   its counts; when the abandons already in it leave too little budget, no rise, and a cut in
//   proportion (beyond the normal step only as the same bounded, audited emergency cut).
// - Cold start: from progressive, a fixed ramp until the day's first abandon.
import { DEFAULT_ANSWER_SHIFT_OPTIONS, INITIAL_ANSWER_SHIFT, updateAnswerShift, type AnswerShiftOptions, type AnswerShiftState } from './answer-shift.ts';
import { clamp, type Controller, type ControllerDecision, type ControllerInput } from './controller.ts';
import { workingSetpoint } from './setpoint.ts';
import {
  afterCut,
  DEFAULT_EMERGENCY_CUT_OPTIONS,
  emergencyCheck,
  INITIAL_EMERGENCY,
  observeEmergency,
  validateEmergencyOptions,
  type EmergencyCutOptions,
  type EmergencyState,
} from './emergency-cut.ts';
import {
  DEFAULT_LOAD_MODEL_OPTIONS,
  EMPTY_LOAD_MODEL,
  estimateAt,
  observeLoad,
  priorEstimatePct,
  recentContradicts,
  type LoadModelOptions,
  type LoadModelState,
} from './load-model.ts';
import {
  DEFAULT_WINDOW_GUARD_OPTIONS,
  INITIAL_WINDOW_GUARD,
  afterBigCut,
  observeWindow,
  validateWindowGuardOptions,
  windowMaterial,
  windowGuardCap,
  type WindowGuardOptions,
  type WindowGuardState,
} from './window-guard.ts';

export interface ComplianceOptions {
  /** Abandon setpoint, percent of live answers. */
  setpointPct: number;
  /** Hard ceiling, percent of live answers (rolling window and campaign day). */
  ceilingPct: number;
  /** Largest relative change per cycle (0.10 = ±10 %). */
  maxStep: number;
  /** Upward steps shrink linearly over this many points below the ceiling. */
  taperBandPct: number;
  /** Proportional gain on the change in log error. */
  kp: number;
  /** Integral gain per minute on the log error. */
  kiPerMin: number;
  /**
   * Integral gain per minute while the window-budget guard covers the rolling window (enough
   * volume for it to act): it keeps the windows, so the PI may climb back to the setpoint faster.
   */
  kiGuardedPerMin: number;
  /** Bound on the log error, so one wild estimate moves the value a bounded amount. */
  errorCap: number;
  /** Prior weight, in pseudo live answers at the setpoint. */
  priorLive: number;
  /** Hold (no change) until the smoothed window has this many live answers. */
  minLive: number;
  /**
   * Small-volume margin: the setpoint is lowered by this × √(setpoint / live answers per hour),
   * because a day's cumulative rate over few answers scatters more (5 agents: about 90 an hour).
   */
  volumeMargin: number;
  /** Gain of the cumulative-budget term on the setpoint. */
  budgetGain: number;
  /** The budget terms raise the setpoint by at most this share of the gap to the ceiling. */
  budgetCapShare: number;
  /** Day counts enter the budget and the ceiling only after this many live answers. */
  dayMinLive: number;
  /** Cut when the day's cumulative rate is within this margin of the ceiling. */
  dayMarginPct: number;
  /** The rolling window is stale once the value is this far (fraction) below its average load. */
  windowStaleBelow: number;
  /** Cut by the full step while the fresh rolling window runs at or above this (stability guard). */
  windowCutPct: number;
  /** Points of setpoint per point the rolling window runs over the ceiling (0: off; setpoint.ts). */
  windowBudgetGain: number;
  /** The window budget never lowers the setpoint below this share of it. */
  windowBudgetFloor: number;
  /** Points of setpoint per point a rolling window runs under the setpoint (0: off). */
  windowSpendGain: number;
  /** Cold-start ramp per cycle (fraction) until the day has `rampUntilAbandons` abandons. */
  rampStep: number;
  rampUntilAbandons: number;
  /** Load-normalised estimate; `false` uses the loop's plain EWMA of counts instead. */
  loadModel: LoadModelOptions | false;
  /** Half-life of the short model that checks the long one (min). */
  recentHalfLifeMin: number;
  /** Significance at which recent abandons overrule the long model. */
  contradictAlpha: number;
  /** Answer-rate feed-forward; `false` turns it off. */
  answerShift: AnswerShiftOptions | false;
  /** The documented emergency cut beyond the step limit (emergency-cut.ts); `false` turns it off. */
  emergency: EmergencyCutOptions | false;
  /** The rolling window's look-ahead budget guard (window-guard.ts); `false` turns it off. */
  windowGuard: WindowGuardOptions | false;
}

export const DEFAULT_COMPLIANCE_OPTIONS: Readonly<ComplianceOptions> = Object.freeze({
  setpointPct: 2.5,
  ceilingPct: 3.0,
  maxStep: 0.1,
  taperBandPct: 1.0,
  kp: 0.1,
  kiPerMin: 0.03,
  kiGuardedPerMin: 0.035,
  errorCap: 1,
  priorLive: 10,
  minLive: 5,
  volumeMargin: 1.0,
  budgetGain: 3.0,
  budgetCapShare: 0.8,
  dayMinLive: 75,
  dayMarginPct: 0.3,
  windowStaleBelow: 0.05,
  windowCutPct: 5.5,
  windowBudgetGain: 0.5,
  windowBudgetFloor: 0.5,
  windowSpendGain: 0.5,
  rampStep: 0.03,
  rampUntilAbandons: 1,
  loadModel: DEFAULT_LOAD_MODEL_OPTIONS,
  recentHalfLifeMin: 10,
  contradictAlpha: 0.05,
  answerShift: DEFAULT_ANSWER_SHIFT_OPTIONS,
  emergency: DEFAULT_EMERGENCY_CUT_OPTIONS,
  windowGuard: DEFAULT_WINDOW_GUARD_OPTIONS,
});

/** Largest gap between the internal value and the platform's that still counts as "ours" (0.01 + rounding). */
const ANCHOR_TOLERANCE = 0.0151;
/** Share of blocked feed-forward kept for the next cycle. */
const PENDING_FADE = 0.8;

export interface ComplianceState {
  /** ln of the last value this controller produced, unrounded (undefined until the first step). */
  u: number | undefined;
  /** The previous log error, for the proportional term. */
  ePrev: number | undefined;
  shift: AnswerShiftState;
  /** Feed-forward not yet applied because of the step limit (log units). */
  pending: number;
  /** Answer-rate scale (reference / first reference): load = value × loadScale. */
  loadScale: number;
  model: LoadModelState;
  /** Short-memory twin of `model`, to notice when the long memory misleads. */
  recent: LoadModelState;
  /** Average load over roughly the rolling window (for its staleness test). */
  loadAvg: number | undefined;
  /** Short-horizon evidence and hold of the emergency cut. */
  emergency: EmergencyState;
  /** The rolling window's cycles, for the window-budget guard. */
  windowGuard: WindowGuardState;
}

export function initialComplianceState(): ComplianceState {
  return { u: undefined, ePrev: undefined, shift: INITIAL_ANSWER_SHIFT, pending: 0, loadScale: 1, model: EMPTY_LOAD_MODEL, recent: EMPTY_LOAD_MODEL, loadAvg: undefined, emergency: INITIAL_EMERGENCY, windowGuard: INITIAL_WINDOW_GUARD };
}

type NumericOption = Exclude<keyof ComplianceOptions, 'answerShift' | 'loadModel' | 'emergency' | 'windowGuard'>;

export function validateComplianceOptions(o: ComplianceOptions): void {
  const positive: NumericOption[] = ['setpointPct', 'ceilingPct', 'maxStep', 'taperBandPct', 'priorLive'];
  for (const k of positive) if (!(o[k] > 0) || !Number.isFinite(o[k])) throw new RangeError(`${k} must be a positive number, got ${o[k]}`);
  const nonNegative: NumericOption[] = ['kp', 'kiPerMin', 'kiGuardedPerMin', 'errorCap', 'minLive', 'volumeMargin', 'budgetGain', 'budgetCapShare', 'dayMinLive', 'dayMarginPct', 'windowStaleBelow', 'windowCutPct', 'windowBudgetGain', 'windowBudgetFloor', 'windowSpendGain', 'rampStep', 'rampUntilAbandons', 'recentHalfLifeMin', 'contradictAlpha'];
  for (const k of nonNegative) if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new RangeError(`${k} must be ≥ 0, got ${o[k]}`);
  if (o.setpointPct >= o.ceilingPct) throw new RangeError('setpointPct must be below ceilingPct');
  if (o.maxStep >= 1) throw new RangeError('maxStep must be below 1 (a fraction of the value)');
  if (o.loadModel && !(o.loadModel.elasticity > 0 && o.loadModel.halfLifeMin > 0)) throw new RangeError('loadModel needs elasticity > 0 and halfLifeMin > 0');
  if (o.emergency) validateEmergencyOptions(o.emergency, o.maxStep);
  if (o.windowGuard) validateWindowGuardOptions(o.windowGuard);
}

export function createComplianceController(overrides: Partial<ComplianceOptions> = {}): Controller<ComplianceState> {
  const o: ComplianceOptions = { ...DEFAULT_COMPLIANCE_OPTIONS, ...overrides };
  validateComplianceOptions(o);
  const downMax = Math.log(1 - o.maxStep);
  // The guard cuts beyond the normal step only as the documented emergency cut, within its bound.
  const guardMaxCut = o.emergency ? o.emergency.maxCut : o.maxStep;

  return {
    name: 'compliance-pi',
    init: initialComplianceState,
    step(state: ComplianceState, input: ControllerInput): ControllerDecision<ComplianceState> {
      const { current, bounds, signals } = input;
      if (!(current > 0) || !Number.isFinite(current)) {
        return { value: bounds.min, state: { ...state, u: undefined, ePrev: undefined, pending: 0 }, reason: 'reset-invalid-current', terms: {} };
      }
      // Re-anchor when the value on the platform is not the one we left (another writer, an
      // override, a failed write): resume from what is really there, with no bump. Within the
      // tolerance the unrounded state is kept, so moves smaller than the 0.01 write resolution
      // accumulate instead of being lost to rounding every cycle.
      const anchored = state.u !== undefined && Math.abs(Math.exp(state.u) - current) < ANCHOR_TOLERANCE;
      const u0 = anchored ? state.u! : Math.log(current);
      const ePrev = anchored ? state.ePrev : undefined;
      // An operator's value (re-anchor) supersedes any feed-forward still pending.
      let pending = anchored ? state.pending : 0;

      // The cycle just observed ran at the value now on the platform, under the old scale.
      const load = current * state.loadScale;
      const lm = o.loadModel;
      const model = lm ? observeLoad(state.model, load, signals.last.live, signals.last.abandoned, input.dtSec, lm) : state.model;
      const recentOpts = lm ? { ...lm, halfLifeMin: o.recentHalfLifeMin } : undefined;
      const recent = recentOpts ? observeLoad(state.recent, load, signals.last.live, signals.last.abandoned, input.dtSec, recentOpts) : state.recent;
      const span = Math.max(60, signals.window.spanSec || 0);
      const loadAvg = state.loadAvg === undefined ? load : state.loadAvg + (1 - Math.exp((-2 * input.dtSec) / span)) * (load - state.loadAvg);
      let shift = state.shift;
      let loadScale = state.loadScale;
      let detected = 0;
      if (o.answerShift) {
        const r = updateAnswerShift(shift, signals.last.attempts, signals.last.connects, o.answerShift);
        shift = r.state;
        detected = r.shift;
        pending += r.shift;
        loadScale = r.scale;
      }
      const em = o.emergency;
      let emergency = em ? observeEmergency(state.emergency, signals.last, current, input.dtSec, em) : state.emergency;
      const wg = o.windowGuard;
      let windowGuard = wg ? observeWindow(state.windowGuard, signals.last.live, signals.last.abandoned, input.dtSec, load, wg) : state.windowGuard;

      const sm = signals.smoothed;
      if (!(sm.live >= o.minLive)) {
        const next = { u: u0, ePrev, shift, pending: 0, loadScale, model, recent, loadAvg, emergency, windowGuard };
        return { value: anchored ? Math.exp(u0) : current, state: next, reason: 'hold-no-data', terms: { smoothedLive: sm.live || 0 } };
      }
      // Judge the load the value will have once pending feed-forward lands, so the PI does not
      // react a second time to an answer-rate step the feed-forward already handles.
      const xNext = Math.exp(u0 + pending) * loadScale;
      const pendingAtEstimate = pending;
      let estimate = priorEstimatePct(sm.abandoned, sm.live, o.setpointPct, o.priorLive);
      let contradicted = false;
      if (lm && recentOpts) {
        const long = estimateAt(model, xNext, o.setpointPct, o.priorLive, lm);
        // Too many recent abandons for the long model: something changed (team, talk time,
        // a plant that is not a power law at this size); trust the short memory until it agrees.
        contradicted = recentContradicts(long, recent, xNext, recentOpts, o.contradictAlpha);
        estimate = contradicted ? Math.max(long, estimateAt(recent, xNext, o.setpointPct, o.priorLive, recentOpts)) : long;
      }
      const windowPct = priorEstimatePct(signals.window.abandoned, signals.window.live, o.setpointPct, o.priorLive);
      const dayPct = signals.day.live >= o.dayMinLive ? (100 * signals.day.abandoned) / signals.day.live : undefined;

      // Spend or repay the day's and the rolling window's budgets (setpoint.ts).
      const sp = workingSetpoint({ windowLive: signals.window.live, windowPct, windowSpanSec: signals.window.spanSec, dayLive: signals.day.live, dayPct }, o);
      const e = Math.max(-o.errorCap, Math.min(o.errorCap, Math.log(sp / estimate)));

      const worst = Math.max(estimate, dayPct ?? 0);
      let taper = Math.max(0, Math.min(1, (o.ceilingPct - worst) / o.taperBandPct));
      const dayHot = dayPct !== undefined && dayPct >= o.ceilingPct - o.dayMarginPct;
      const windowFresh = xNext >= (1 - o.windowStaleBelow) * loadAvg;
      const windowHot = windowPct >= o.ceilingPct && windowFresh;
      const holding = emergency.holdSec > 0;
      if (dayHot || windowHot || holding) taper = 0;
      const upCap = Math.log(1 + o.maxStep * taper);

      let reason = contradicted ? 'pi-recent' : 'pi';
      const ki = wg && windowMaterial(windowGuard, wg) ? o.kiGuardedPerMin : o.kiPerMin;
      let du = o.kp * (e - (ePrev ?? e)) + ki * (input.dtSec / 60) * e;
      // Cold start: climb from progressive at a fixed pace until the first abandons show where
      // the frontier is; the slow integral alone would take an hour to get there.
      if (signals.day.abandoned < o.rampUntilAbandons && e > 0 && du < Math.log(1 + o.rampStep)) {
        du = Math.log(1 + o.rampStep);
        reason = 'ramp';
      }
      const rawWindowPct = signals.window.live >= 30 ? (100 * signals.window.abandoned) / signals.window.live : 0;
      if (dayHot && e < 0) {
        reason = 'ceiling-day';
        du = downMax;
      } else if (windowFresh && rawWindowPct >= o.windowCutPct) {
        reason = 'window-cut';
        du = downMax;
      } else if (du > upCap) {
        reason = dayHot ? 'ceiling-day-hold' : windowHot ? 'ceiling-window-hold' : holding ? 'emergency-hold' : taper < 1 ? `${reason}-tapered` : `${reason}-step-limited`;
        du = upCap;
      } else if (du < downMax) {
        reason = `${reason}-step-limited`;
        du = downMax;
      }
      // Feed-forward shares the per-cycle step budget; what does not fit waits, fading so a move
      // the taper keeps blocking is eventually dropped.
      const ff = Math.max(downMax - du, Math.min(upCap - du, pending));
      if (ff !== 0) reason = `${reason}+answer-shift`;
      du += ff;
      pending = (pending - ff) * PENDING_FADE;

      // Window-budget guard (window-guard.ts): the estimate answers for the load once pending
      // feed-forward lands, so the guard's cap is relative to that load.
      const guard = wg ? windowGuardCap(windowGuard, estimate, xNext, sp, input.dtSec, guardMaxCut, wg) : undefined;
      let guardCut = false;
      if (guard && du > pendingAtEstimate + guard.cap) {
        // Beyond the normal step only once per settling time: a cut takes a few minutes to show.
        const floor = windowGuard.settleSec > 0 ? Math.min(du, downMax) : Math.log(1 - guardMaxCut);
        du = Math.max(floor, pendingAtEstimate + guard.cap);
        guardCut = du < 0;
        reason = du < downMax ? 'emergency-cut+window' : du < 0 ? 'window-guard' : 'window-guard-hold';
      }

      // Emergency cut (emergency-cut.ts), the documented exception to the step limit: a
      // significant abandon excess over the last minutes, or a team-size drop seen in the live
      // answers, cuts at once, down only, by at most `maxCut`. It includes any feed-forward still
      // pending (that answers the same change), then the value holds for `holdSec`.
      const check = em ? emergencyCheck(emergency, o.ceilingPct, sp, o.maxStep, em) : undefined;
      let emergencyTrigger = 0;
      if (em && check?.trigger && Math.min(check.cut, du + pending) < du) {
        du = Math.max(Math.log(1 - em.maxCut), Math.min(check.cut, du + pending));
        pending = 0;
        emergencyTrigger = check.trigger === 'abandons' ? 1 : 2;
        reason = check.trigger === 'abandons' ? 'emergency-cut' : 'emergency-cut+throughput';
        emergency = afterCut(emergency, em, check.trigger === 'throughput');
      }

      if (wg && du < downMax) windowGuard = afterBigCut(windowGuard, wg);
      if (em && guardCut && emergencyTrigger === 0 && du < downMax) {
        // A guard cut beyond the step is the emergency cut: the same abandons cannot cut twice.
        emergencyTrigger = 3;
        // The guard itself holds rises while the window needs it: no separate hold.
        emergency = { ...afterCut(emergency, em, false), holdSec: emergency.holdSec };
      }
      const value = clamp(Math.exp(u0 + du), bounds);
      if (value !== Math.exp(u0 + du)) {
        reason = `${reason}-clamped`;
        pending = 0;
      }
      return {
        value,
        // Anti-windup by back-calculation: keep the clamped value, not the unclamped wish.
        state: { u: Math.log(value), ePrev: e, shift, pending, loadScale, model, recent, loadAvg, emergency, windowGuard },
        reason,
        ...(emergencyTrigger > 0 && du < downMax ? { emergency: true } : {}),
        terms: {
          estimatePct: estimate,
          windowPct,
          dayPct: dayPct ?? -1,
          setpointPct: sp,
          error: e,
          taper,
          step: value / Math.exp(u0) - 1,
          answerShift: detected,
          answerRef: shift.pRef ?? -1,
          emergencyTrigger,
          excessP: check?.excessP ?? 1,
          liveShare: check?.liveShare ?? 1,
          windowExpectPct: guard?.expectedPct ?? 0,
          windowProjPct: guard?.projection.projectedPct ?? 0,
          windowCap: guard && Number.isFinite(guard.cap) ? Math.exp(guard.cap) : -1,
        },
      };
    },
  };
}

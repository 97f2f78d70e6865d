// Answer-rate shift detector: the compliance controller's feed-forward.
//
// Abandons are rare (about 9 an hour for 20 agents at 2.5 %), so an abandon-driven loop learns of
// a jump in the live-answer rate only after it has already dropped calls. Attempts and connects
// are about 50× more frequent. With lines per available agent, the expected live answers per
// ready agent is ratio × answer rate, so when the answer rate steps from p to p′ the value should
// step by p / p′ to keep the load the same. Following the connect ratio continuously (as the seed
// law does) injects its noise into the value every cycle; this detector moves only on a
// statistically clear change (a z-test of recent connects against the reference rate) and leaves
// slow drift to the PI.
//
// Recent counts decay per *attempt* rather than per second, so the evidence window is about
// `windowAttempts` dials whatever the team size: 5 agents get a slower, equally reliable detector.

export interface AnswerShiftOptions {
  /** Evidence window, in attempts (decay constant of the recent sums). */
  windowAttempts: number;
  /** z at which a rise in the answer rate is declared (the value must come down: act early). */
  zRise: number;
  /** |z| at which a fall is declared (the value may go up: ask for more evidence). */
  zFall: number;
  /** Share of a fall's inverse step applied: going up is where abandons come from. */
  fallShare: number;
  /** Attempts over which the reference slowly follows the recent rate (drift is the PI's job). */
  trackAttempts: number;
  /** Largest single shift, in log units (ln 2: at most halve or double per detection). */
  maxShift: number;
}

export const DEFAULT_ANSWER_SHIFT_OPTIONS: Readonly<AnswerShiftOptions> = Object.freeze({
  windowAttempts: 300,
  zRise: 2.5,
  zFall: 3.5,
  fallShare: 0.5,
  trackAttempts: 3000,
  maxShift: Math.LN2,
});

export interface AnswerShiftState {
  /** Decayed recent attempts and connects. */
  attempts: number;
  connects: number;
  /** Reference answer rate the current value is tuned for (undefined until enough evidence). */
  pRef: number | undefined;
}

export const INITIAL_ANSWER_SHIFT: Readonly<AnswerShiftState> = Object.freeze({ attempts: 0, connects: 0, pRef: undefined });

export interface AnswerShiftResult {
  state: AnswerShiftState;
  /** ln(p_ref / p_recent) when a change was declared this cycle, else 0. Add it to ln(value). */
  shift: number;
  /** z of the recent rate against the reference (0 when not computable). */
  z: number;
}

/** Feeds one cycle's attempts and connects. Invalid counts leave the state unchanged. */
export function updateAnswerShift(state: AnswerShiftState, attempts: number, connects: number, o: AnswerShiftOptions = DEFAULT_ANSWER_SHIFT_OPTIONS): AnswerShiftResult {
  if (!(attempts >= 0) || !(connects >= 0) || !Number.isFinite(attempts) || !Number.isFinite(connects) || connects > attempts) {
    return { state, shift: 0, z: 0 };
  }
  const keep = Math.exp(-attempts / o.windowAttempts);
  const a = state.attempts * keep + attempts;
  const c = state.connects * keep + connects;
  const recent = a > 0 ? c / a : undefined;
  // Enough evidence once the recent sums hold most of a window.
  const ready = a >= 0.6 * o.windowAttempts && recent !== undefined;
  if (!ready) return { state: { attempts: a, connects: c, pRef: state.pRef }, shift: 0, z: 0 };
  if (state.pRef === undefined) {
    return { state: { attempts: a, connects: c, pRef: clampRate(recent) }, shift: 0, z: 0 };
  }
  const p = state.pRef;
  const z = (c - a * p) / Math.sqrt(a * p * (1 - p));
  if (z >= o.zRise || z <= -o.zFall) {
    const pNew = clampRate(recent);
    const full = Math.log(p / pNew);
    const shift = Math.max(-o.maxShift, Math.min(o.maxShift, full > 0 ? full * o.fallShare : full));
    // The reference moves by the share applied, so the load model stays consistent with it.
    return { state: { attempts: a, connects: c, pRef: p * Math.exp(-shift) }, shift, z };
  }
  const follow = 1 - Math.exp(-attempts / o.trackAttempts);
  return { state: { attempts: a, connects: c, pRef: clampRate(p + follow * (recent - p)) }, shift: 0, z };
}

/** Keeps the reference inside (0, 1) so the z-test's variance never vanishes. */
function clampRate(p: number): number {
  return Math.min(0.99, Math.max(0.01, p));
}

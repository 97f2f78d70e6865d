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
// A detection usually fires while the window still mixes old and new rates, so for the next
// `followAttempts` dials the reference follows the recent rate cycle by cycle (each move applied
// to the value) until the window holds only the new regime; then gating resumes.

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
  /** After a detection, attempts during which the reference follows the recent rate. */
  followAttempts: number;
}

export const DEFAULT_ANSWER_SHIFT_OPTIONS: Readonly<AnswerShiftOptions> = Object.freeze({
  windowAttempts: 300,
  zRise: 2.5,
  zFall: 3,
  fallShare: 0.75,
  trackAttempts: 3000,
  maxShift: Math.LN2,
  followAttempts: 600,
});

export interface AnswerShiftState {
  /** Decayed recent attempts and connects. */
  attempts: number;
  connects: number;
  /** Attempts seen since start (the first window is warm-up: answers lag dials). */
  seen: number;
  /** Reference answer rate (undefined until enough evidence). */
  pRef: number | undefined;
  /** The first reference; pRef / pInit is the answer-rate scale of the load. */
  pInit: number | undefined;
  /** Attempts left in the follow phase after a detection (0: gated). */
  follow: number;
}

export const INITIAL_ANSWER_SHIFT: Readonly<AnswerShiftState> = Object.freeze({ attempts: 0, connects: 0, seen: 0, pRef: undefined, pInit: undefined, follow: 0 });

export interface AnswerShiftResult {
  state: AnswerShiftState;
  /** Log change to apply to the value this cycle (0 unless a change was declared). */
  shift: number;
  /** Answer-rate scale of the load, pRef / pInit (1 until the reference exists). */
  scale: number;
  /** z of the recent rate against the reference (0 when not computable). */
  z: number;
}

/** Feeds one cycle's attempts and connects. Invalid counts leave the state unchanged. */
export function updateAnswerShift(state: AnswerShiftState, attempts: number, connects: number, o: AnswerShiftOptions = DEFAULT_ANSWER_SHIFT_OPTIONS): AnswerShiftResult {
  const scaleOf = (s: AnswerShiftState) => (s.pRef !== undefined && s.pInit !== undefined ? s.pRef / s.pInit : 1);
  if (!(attempts >= 0) || !(connects >= 0) || !Number.isFinite(attempts) || !Number.isFinite(connects) || connects > attempts) {
    return { state, shift: 0, scale: scaleOf(state), z: 0 };
  }
  const keep = Math.exp(-attempts / o.windowAttempts);
  const a = state.attempts * keep + attempts;
  const c = state.connects * keep + connects;
  const seen = state.seen + attempts;
  const recent = a > 0 ? c / a : undefined;
  // Warm-up: answers arrive seconds after their dials, so the first window under-reads the rate.
  if (seen < 2 * o.windowAttempts || recent === undefined) {
    const next = { ...state, attempts: a, connects: c, seen };
    return { state: next, shift: 0, scale: scaleOf(next), z: 0 };
  }
  if (state.pRef === undefined) {
    const p0 = clampRate(recent);
    return { state: { attempts: a, connects: c, seen, pRef: p0, pInit: p0, follow: 0 }, shift: 0, scale: 1, z: 0 };
  }
  const p = state.pRef;
  const z = (c - a * p) / Math.sqrt(a * p * (1 - p));
  const detected = z >= o.zRise || z <= -o.zFall;
  if (detected || state.follow > 0) {
    // The reference (and so the load scale) takes the full new rate; the value takes all of a
    // rise but only `fallShare` of a fall, leaving the rest to the abandon feedback.
    const pNew = clampRate(recent);
    const full = Math.log(p / pNew);
    const shift = Math.max(-o.maxShift, Math.min(o.maxShift, full > 0 ? full * o.fallShare : full));
    const follow = detected ? o.followAttempts : Math.max(0, state.follow - attempts);
    const next = { attempts: a, connects: c, seen, pRef: pNew, pInit: state.pInit, follow };
    return { state: next, shift, scale: scaleOf(next), z };
  }
  const track = 1 - Math.exp(-attempts / o.trackAttempts);
  const next = { attempts: a, connects: c, seen, pRef: clampRate(p + track * (recent - p)), pInit: state.pInit, follow: 0 };
  return { state: next, shift: 0, scale: scaleOf(next), z };
}

/** Keeps the reference inside (0, 1) so the z-test's variance never vanishes. */
function clampRate(p: number): number {
  return Math.min(0.99, Math.max(0.01, p));
}

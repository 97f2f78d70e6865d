// The seed's pacing law, kept as the evaluation baseline and as an opt-in controller:
//   new = current × target / actual answer rate, clamped to [min, max] and rounded to 0.01.
// "Answer rate" is the campaign's connect ratio (connects / attempts) over the sliding window.
// It has no abandon feedback at all, and it integrates noise: every cycle multiplies by the
// window's deviation again, so the value random-walks into the clamps (notes/dialer.md §5.1).
import { clamp, round2, type Controller, type ControllerDecision, type ControllerInput } from './controller.ts';
import { ratioOf } from './signal-window.ts';

export interface SeedLawOptions {
  /** The answer (connect) ratio the seed aimed for, as a fraction. */
  targetAnswerRate: number;
}

export interface SeedLawState {
  steps: number;
}

export function createSeedLaw(options: SeedLawOptions): Controller<SeedLawState> {
  if (!(options.targetAnswerRate > 0 && options.targetAnswerRate <= 1)) {
    throw new RangeError(`targetAnswerRate must be in (0, 1], got ${options.targetAnswerRate}`);
  }
  return {
    name: 'seed-law',
    init: () => ({ steps: 0 }),
    step(state: SeedLawState, input: ControllerInput): ControllerDecision<SeedLawState> {
      const next = { steps: state.steps + 1 };
      const actual = ratioOf(input.signals.window.connects, input.signals.window.attempts);
      // Zero guard: with no attempts, or no connects, the ratio is undefined or infinite; the seed
      // held the current value rather than dividing by zero.
      if (actual === undefined || actual <= 0 || !Number.isFinite(input.current)) {
        return { value: clamp(round2(input.current), input.bounds), state: next, reason: 'hold-zero-guard', terms: {} };
      }
      const raw = (input.current * options.targetAnswerRate) / actual;
      return {
        value: round2(clamp(raw, input.bounds)),
        state: next,
        reason: 'seed-proportional',
        terms: { answerRate: actual, target: options.targetAnswerRate },
      };
    },
  };
}

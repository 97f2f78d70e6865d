// The fixed-ratio controller behind the "best fixed ratio in hindsight" oracle (evaluation only):
// the evaluation sweeps it over a grid and keeps, per scenario and seed, the ratio with the best
// occupancy whose cumulative abandon stays within the limit.
import { clamp, type Controller } from './controller.ts';

/** The oracle's fixed ratio: proposes the same value every cycle (evaluation only). */
export function createFixedRatio(value: number): Controller<null> {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`fixed ratio must be a positive number, got ${value}`);
  return {
    name: 'fixed-ratio',
    init: () => null,
    step: (_state, input) => ({ value: clamp(value, input.bounds), state: null, reason: 'fixed', terms: { fixed: value } }),
  };
}

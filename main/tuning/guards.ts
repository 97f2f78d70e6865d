// Guards between a controller's proposal and a write. Pure: the loop calls `applyGuards` and does
// what it says. Order matters and is fixed:
//   1. the campaign must be in a dialing mode whose pacing Pacekeeper may touch;
//   2. the proposal must be a finite number (anything else holds the current value);
//   3. the step limit, relative to the current value (a controller's documented emergency cut may
//      go further down, never up, to `emergencyCut`);
//   4. rounding to 0.01, toward the current value so rounding never overshoots the step limit;
//   5. the campaign's clamps, which win over the step limit and the rounding (the safety contract);
//   6. the minimum delta (0.01): smaller moves are not worth a write or a version bump;
//   7. the mode: paused skips, dry-run records, auto (and an override's one-shot apply) writes.
import type { Bounds } from './controller.ts';

export const TUNING_MODES = ['auto', 'paused', 'dry-run', 'override'] as const;
export type TuningMode = (typeof TUNING_MODES)[number];

/** Dialing modes whose `maxCallsPerAgentDecimal` paces the dialer. Never write any other. */
export const PACED_DIALING_MODES: ReadonlySet<string> = new Set(['predictive', 'power']);

export type GuardLimit = 'step-limit' | 'clamp-min' | 'clamp-max';

export interface GuardInput {
  proposed: number;
  current: number;
  bounds: Bounds;
  /** Largest relative change per cycle (0.10 = ±10 %); undefined for an operator override. */
  stepLimit: number | undefined;
  /**
   * Largest relative cut for a proposal the controller flagged as an emergency cut (0.50 = −50 %);
   * undefined otherwise. It widens the step limit downward only: a rise is always held to
   * `stepLimit`.
   */
  emergencyCut?: number | undefined;
  /** Smallest change worth writing (0.01). */
  minDelta: number;
  mode: TuningMode;
  /** The campaign's `dialingMode` as read. */
  dialingMode: string | undefined;
}

export type GuardDecision =
  | { action: 'write'; value: number; limitedBy: GuardLimit[] }
  | { action: 'record'; value: number; limitedBy: GuardLimit[]; why: 'dry-run' }
  | { action: 'unchanged'; value: number; limitedBy: GuardLimit[]; why: 'below-min-delta' }
  | { action: 'skip'; value: number; limitedBy: GuardLimit[]; why: 'paused' | 'not-paced-dialing-mode' | 'invalid-proposal' };

const EPS = 1e-9;

/** Rounds to 0.01 toward `toward`, so a rounded step never exceeds the unrounded one. */
export function roundToward(value: number, toward: number): number {
  const cents = value * 100;
  const r = value >= toward ? Math.floor(cents + EPS) : Math.ceil(cents - EPS);
  return r / 100;
}

export function applyGuards(g: GuardInput): GuardDecision {
  const current = g.current;
  if (g.dialingMode === undefined || !PACED_DIALING_MODES.has(g.dialingMode)) {
    return { action: 'skip', value: current, limitedBy: [], why: 'not-paced-dialing-mode' };
  }
  if (!Number.isFinite(g.proposed) || !(g.proposed > 0)) {
    return { action: 'skip', value: current, limitedBy: [], why: 'invalid-proposal' };
  }
  const limitedBy: GuardLimit[] = [];
  let v = g.proposed;
  if (g.stepLimit !== undefined && Number.isFinite(current) && current > 0) {
    const hi = current * (1 + g.stepLimit);
    const down = g.emergencyCut !== undefined && g.emergencyCut > g.stepLimit && g.emergencyCut < 1 ? g.emergencyCut : g.stepLimit;
    const lo = current * (1 - down);
    if (v > hi + EPS) {
      v = hi;
      limitedBy.push('step-limit');
    } else if (v < lo - EPS) {
      v = lo;
      limitedBy.push('step-limit');
    }
  }
  v = roundToward(v, Number.isFinite(current) ? current : v);
  if (v > g.bounds.max) {
    v = g.bounds.max;
    limitedBy.push('clamp-max');
  } else if (v < g.bounds.min) {
    v = g.bounds.min;
    limitedBy.push('clamp-min');
  }
  const moved = !Number.isFinite(current) || Math.abs(v - current) >= g.minDelta - EPS;
  if (g.mode === 'paused') return { action: 'skip', value: v, limitedBy, why: 'paused' };
  if (!moved) return { action: 'unchanged', value: current, limitedBy, why: 'below-min-delta' };
  if (g.mode === 'dry-run') return { action: 'record', value: v, limitedBy, why: 'dry-run' };
  return { action: 'write', value: v, limitedBy };
}

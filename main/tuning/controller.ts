// The one signature every pacing controller implements, so the loop, the evaluation and the
// audit trail treat the seed law, the compliance PI, the VICIdial replica and the fixed-ratio
// oracle alike. A controller is pure: it maps (state, input) to (proposal, next state) and never
// reads a clock, a network or a file.
import type { CountSample, WindowSums } from './signal-window.ts';

export const CONTROLLER_NAMES = ['seed-law', 'compliance-pi', 'vicidial-adaptive', 'fixed-ratio'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface Bounds {
  min: number;
  max: number;
}

/** What the controller may look at: only what a real dialer integration can observe. */
export interface ControllerSignals {
  /** Sums over the sliding window (the rolling-window compliance view). */
  window: WindowSums & { spanSec: number };
  /** Exponentially weighted sums (the low-lag estimate the PI acts on). */
  smoothed: CountSample;
  /** Cumulative counts for the campaign day so far (the regulatory view). */
  day: { live: number; abandoned: number; attempts?: number };
  /** The counts of the cycle just finished. */
  last: CountSample;
  /**
   * Agent and queue state averaged over the cycle, when known (campaign stats' idleAgents and
   * outstanding calls on the platform; the model's snapshot in the evaluation).
   */
  agents?: { ready: number; staffed: number; waiting: number };
  /** Seconds since the campaign day started (the VICIdial replica's taper and its "today" drops). */
  daySec?: number;
}

export interface ControllerInput {
  nowMs: number;
  /** Seconds since the previous step (the first step uses the configured interval). */
  dtSec: number;
  /** The pacing value read from the campaign this cycle. */
  current: number;
  bounds: Bounds;
  signals: ControllerSignals;
}

export interface ControllerDecision<S> {
  /** Proposed pacing value, before the loop's guards (min delta, clamps, step limit, mode). */
  value: number;
  state: S;
  /** Short, stable reason code for the audit trail, e.g. `pi`, `ceiling-cut`, `hold-no-data`. */
  reason: string;
  /** Internal terms worth auditing (estimate, error, integral…); finite numbers only. */
  terms: Record<string, number>;
  /**
   * A documented emergency cut (emergency-cut.ts): a downward step larger than the normal step
   * limit, which the loop's guard then allows up to its emergency limit. Never set on a rise.
   */
  emergency?: boolean;
}

export interface Controller<S = unknown> {
  readonly name: ControllerName;
  /** State that makes the next step start from `current` with no bump (start, resume, re-anchor). */
  init(current: number, nowMs: number): S;
  step(state: S, input: ControllerInput): ControllerDecision<S>;
}

/** Clamp to bounds; NaN maps to the lower bound so a broken computation can only slow dialing. */
export function clamp(value: number, bounds: Bounds): number {
  if (Number.isNaN(value)) return bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, value));
}

/** Rounds to the 0.01 resolution the platform stores and the UI shows. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Validates bounds once, where they enter (settings, evaluation config). */
export function assertBounds(bounds: Bounds): void {
  if (!Number.isFinite(bounds.min) || !Number.isFinite(bounds.max) || bounds.min <= 0 || bounds.max < bounds.min) {
    throw new RangeError(`pacing bounds must satisfy 0 < min ≤ max, got [${bounds.min}, ${bounds.max}]`);
  }
}

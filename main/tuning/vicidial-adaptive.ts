// A replica of VICIdial's AST_VDadapt.pl adaptive dial level (notes/dialer.md §1.1), for the
// evaluation only. It is the open-source anchor Pacekeeper is measured against, so it copies the
// logic as read, including its weaknesses:
// - every 15 s: level × (1 + (avg ready − avg waiting) / avg agents), intensity 0, diff target 0;
// - every 60 s the day's cumulative drop % is recomputed; on each update, once more than 50 calls
//   were placed today and that % exceeds the limit, ADAPT_HARD_LIMIT sets the level to 1.0;
// - the level never goes below 1.0 and never above the maximum adapt level (the bounds' max).
// The "more than 50 % dropped in the last minute → halve" rule is left out, as in the note's replica.
import { clamp, type Controller, type ControllerDecision, type ControllerInput } from './controller.ts';

export interface VicidialOptions {
  /** adaptive_dropped_percentage (default 3). */
  droppedPct: number;
  /** Seconds between drop-% recomputations (calculate_drops runs every 60 s). */
  dropRecalcSec: number;
  /** Calls placed today before the drop rule applies (VICIdial: > 50). */
  minCallsToday: number;
}

export const DEFAULT_VICIDIAL_OPTIONS: Readonly<VicidialOptions> = Object.freeze({ droppedPct: 3, dropRecalcSec: 60, minCallsToday: 50 });

export interface VicidialState {
  /** Drop % of the last recomputation (undefined before the first). */
  dropPct: number | undefined;
  callsToday: number;
  sinceRecalcSec: number;
}

export function createVicidialAdaptive(overrides: Partial<VicidialOptions> = {}): Controller<VicidialState> {
  const o = { ...DEFAULT_VICIDIAL_OPTIONS, ...overrides };
  return {
    name: 'vicidial-adaptive',
    init: () => ({ dropPct: undefined, callsToday: 0, sinceRecalcSec: Infinity }),
    step(state: VicidialState, input: ControllerInput): ControllerDecision<VicidialState> {
      const { signals } = input;
      // VICIdial's floor is 1.0 regardless of the campaign's configured minimum.
      const bounds = { min: Math.max(1, input.bounds.min), max: input.bounds.max };
      let { dropPct, callsToday, sinceRecalcSec } = state;
      sinceRecalcSec += input.dtSec;
      if (sinceRecalcSec >= o.dropRecalcSec) {
        sinceRecalcSec = 0;
        dropPct = signals.day.live > 0 ? (100 * signals.day.abandoned) / signals.day.live : 0;
        callsToday = signals.day.attempts ?? 0;
      }
      let level = input.current;
      let reason = 'hold-no-agents';
      const a = signals.agents;
      if (a && a.staffed > 0) {
        const mul = (a.ready - a.waiting) / a.staffed;
        level = input.current * (1 + mul);
        reason = 'differential';
      }
      if (dropPct !== undefined && callsToday > o.minCallsToday && dropPct > o.droppedPct) {
        level = 1;
        reason = 'hard-limit';
      }
      return {
        value: clamp(level, bounds),
        state: { dropPct, callsToday, sinceRecalcSec },
        reason,
        terms: { dropPct: dropPct ?? -1, ready: a?.ready ?? -1, waiting: a?.waiting ?? -1 },
      };
    },
  };
}


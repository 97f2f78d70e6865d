// The compliance controller's working setpoint: the configured setpoint, moved to spend or repay
// two budgets. Pure.
//   - Small volume: lowered by `volumeMargin` × √(setpoint / live answers per hour) points, because
//     a day's cumulative rate over few answers scatters more (5 agents: about 90 an hour).
//   - Campaign day: a day running under the setpoint raises the target, one running over lowers
//     it; bounded to stay clear of the ceiling.
//   - Rolling window, as a constraint: while the last 30 minutes ran over the ceiling, the target
//     drops to repay them in the rest of the window, stale or fresh, so an early cluster is not
//     joined by ordinary abandons before it leaves the window. A window running under the
//     setpoint leaves room and spends a little of it.

export interface SetpointOptions {
  setpointPct: number;
  ceilingPct: number;
  volumeMargin: number;
  budgetGain: number;
  /** The budgets raise the target by at most this share of the gap to the ceiling. */
  budgetCapShare: number;
  /** Day counts (and the window's) count only after this many live answers. */
  dayMinLive: number;
  windowBudgetGain: number;
  /** The window budget never lowers the target below this share of the base. */
  windowBudgetFloor: number;
  windowSpendGain: number;
}

export interface SetpointInput {
  /** Rolling window: live answers, and its abandon % with the prior. */
  windowLive: number;
  windowPct: number;
  windowSpanSec: number;
  /** Campaign day so far. */
  dayLive: number;
  dayPct: number | undefined;
}

/** The working setpoint, percent. */
export function workingSetpoint(i: SetpointInput, o: SetpointOptions): number {
  const perHour = i.windowSpanSec > 0 ? (i.windowLive * 3600) / i.windowSpanSec : 0;
  const base = o.setpointPct - (perHour > 0 ? Math.min(0.5, o.volumeMargin * Math.sqrt(o.setpointPct / perHour)) : 0);
  const cap = base + o.budgetCapShare * (o.ceilingPct - base);
  let sp = base;
  if (i.dayPct !== undefined) {
    const weight = Math.min(1, i.dayLive / (4 * o.dayMinLive));
    sp += o.budgetGain * weight * (base - i.dayPct);
    sp = Math.min(cap, Math.max(0.5 * base, sp));
  }
  if (i.windowLive >= o.dayMinLive) {
    if (o.windowBudgetGain > 0 && i.windowPct > o.ceilingPct) {
      sp = Math.min(sp, Math.max(o.windowBudgetFloor * base, base - o.windowBudgetGain * (i.windowPct - o.ceilingPct)));
    } else if (o.windowSpendGain > 0 && i.windowPct < base) {
      sp = Math.min(cap, sp + o.windowSpendGain * (base - i.windowPct));
    }
  }
  return sp;
}

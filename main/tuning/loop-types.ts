// Shapes the loop shares with the service, the bridge and the dashboard: the per-campaign
// snapshot, the result of an operator command, and the inputs an audit record keeps.
import type { Bounds, ControllerSignals } from './controller.ts';
import type { TuningMode } from './guards.ts';
import type { CountSample } from './signal-window.ts';
import type { StatsReading } from './stats-reading.ts';

export type CycleOutcome = 'applied' | 'unchanged' | 'dry-run' | 'skipped' | 'conflict' | 'rate-limited' | 'breaker-open' | 'error';

export interface CampaignSnapshot {
  campaignId: string;
  campaignName: string | undefined;
  controller: string;
  mode: TuningMode;
  bounds: Bounds;
  intervalSec: number;
  /** The pacing value on the platform as last read or written. */
  current: number | undefined;
  /** The controller's last recommendation (clamped, rounded), written or not. */
  recommended: number | undefined;
  version: number | undefined;
  connectRatio: number | undefined;
  /** Abandon % of the rolling window and of the campaign day. */
  abandonWindowPct: number | undefined;
  abandonDayPct: number | undefined;
  lastDecision: { outcome: CycleOutcome; time: number; value: number | undefined; reason: string } | undefined;
  conflicts: number;
  rateLimited: number;
  overrideValue: number | undefined;
  /** End of the override hold (epoch ms); undefined while held until released or with no override. */
  holdUntil: number | undefined;
  /** The circuit breaker pauses this campaign until then. */
  breakerUntil: number | undefined;
  busy: boolean;
}

export type CommandResult =
  | { ok: true; outcome: 'applied' | 'unchanged' | 'mode-changed'; mode: TuningMode; value?: number; version?: number }
  | { ok: false; code: string; error: string; mode: TuningMode };

/** What an audit record keeps of a cycle's inputs: counts, windows, stats and controller terms. */
export function decisionInputs(sample: CountSample, s: ControllerSignals, stats: StatsReading, terms: Record<string, number>): Record<string, number | null> {
  const pct = (a: number, b: number) => (b > 0 ? (100 * a) / b : null);
  const out: Record<string, number | null> = {
    live: sample.live,
    abandoned: sample.abandoned,
    attempts: sample.attempts,
    connects: sample.connects,
    windowLive: s.window.live,
    windowAbandoned: s.window.abandoned,
    windowAbandonPct: pct(s.window.abandoned, s.window.live),
    dayLive: s.day.live,
    dayAbandoned: s.day.abandoned,
    dayAbandonPct: pct(s.day.abandoned, s.day.live),
    connectRatio: s.window.attempts > 0 ? s.window.connects / s.window.attempts : null,
    idleAgents: stats.idleAgents,
    adjustedCallsPerAgent: stats.adjustedCallsPerAgent ?? null,
  };
  for (const [k, v] of Object.entries(terms)) out[`term.${k}`] = Number.isFinite(v) ? v : null;
  return out;
}

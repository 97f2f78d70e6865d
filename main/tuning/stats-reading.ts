// Validation of one cycle's readings and their conversion to per-cycle counts. Pure. A malformed
// reading (a missing field, NaN, a negative or impossible count) is refused as a whole: the cycle
// is skipped with an error event and nothing is written, because a controller fed garbage can
// only produce garbage.
import { err, ok, type Result } from '../util/result.ts';
import type { AbandonCounts } from './campaign-api.ts';
import type { ControllerSignals } from './controller.ts';
import type { SignalTracker } from './signal-tracker.ts';
import { deltaOf, type CountSample } from './signal-window.ts';

export interface StatsReading {
  /** Cumulative attempts and live connects (CampaignStats.contactRate). */
  attempts: number;
  connects: number;
  connectRatio: number;
  idleAgents: number;
  /** The platform pacer's own current multiplier, when given. */
  adjustedCallsPerAgent: number | undefined;
  outstandingCalls: number | undefined;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

export function readStats(raw: unknown): Result<StatsReading, string> {
  const cr = field(raw, 'contactRate');
  const attempts = field(cr, 'attempts');
  const connects = field(cr, 'connects');
  const connectRatio = field(cr, 'connectRatio');
  const idleAgents = field(raw, 'idleAgents');
  if (cr === undefined) return err('stats: contactRate is missing');
  if (!isCount(attempts)) return err(`stats: contactRate.attempts is ${describe(attempts)}`);
  if (!isCount(connects)) return err(`stats: contactRate.connects is ${describe(connects)}`);
  if (connects > attempts) return err('stats: contactRate.connects exceeds attempts');
  if (!isCount(connectRatio) || connectRatio > 1) return err(`stats: contactRate.connectRatio is ${describe(connectRatio)}`);
  if (!isCount(idleAgents)) return err(`stats: idleAgents is ${describe(idleAgents)}`);
  const adjusted = field(raw, 'adjustedCallsPerAgent');
  const outstanding = field(raw, 'outstandingCalls');
  if (adjusted !== undefined && !isCount(adjusted)) return err(`stats: adjustedCallsPerAgent is ${describe(adjusted)}`);
  if (outstanding !== undefined && !isCount(outstanding)) return err(`stats: outstandingCalls is ${describe(outstanding)}`);
  return ok({
    attempts,
    connects,
    connectRatio,
    idleAgents,
    adjustedCallsPerAgent: adjusted as number | undefined,
    outstandingCalls: outstanding as number | undefined,
  });
}

export function readCounts(raw: AbandonCounts): Result<AbandonCounts, string> {
  for (const k of ['live', 'abandoned', 'attempts'] as const) {
    if (!isCount(raw[k])) return err(`analytics: ${k} is ${describe(raw[k])}`);
  }
  if (raw.abandoned > raw.live) return err('analytics: abandoned exceeds live answers');
  return ok({ live: raw.live, abandoned: raw.abandoned, attempts: raw.attempts });
}

/** Never echoes the value itself at length (it came from the network). */
function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v < 0 ? 'negative' : 'not a finite count';
  return `a ${typeof v}, not a number`;
}

export interface PreviousTotals {
  stats: Pick<StatsReading, 'attempts' | 'connects'> | undefined;
  day: AbandonCounts | undefined;
}

/**
 * Counts of the cycle just ended: connect-ratio counts from the stats' running totals, abandon
 * counts from the day's analytics totals. A total that went backwards (counters reset, new day)
 * counts from zero.
 */
export function cycleSample(prev: PreviousTotals, stats: StatsReading, day: AbandonCounts): CountSample {
  const live = deltaOf(prev.day?.live, day.live);
  return {
    attempts: deltaOf(prev.stats?.attempts, stats.attempts),
    connects: deltaOf(prev.stats?.connects, stats.connects),
    live,
    // Never more abandons than live answers in one sample, even if the two totals moved unevenly.
    abandoned: Math.min(live, deltaOf(prev.day?.abandoned, day.abandoned)),
  };
}

/**
 * A campaign's readings over time: turns each cycle's validated stats and day totals into counts,
 * feeds the signal tracker, and starts a new campaign day when the day boundary moves.
 */
export class CampaignReadings {
  readonly #tracker: SignalTracker;
  readonly #intervalSec: number;
  #prev: PreviousTotals = { stats: undefined, day: undefined };
  #dayStartMs: number | undefined;
  #lastAt: number | undefined;

  constructor(tracker: SignalTracker, intervalSec: number) {
    this.#tracker = tracker;
    this.#intervalSec = intervalSec;
  }

  observe(stats: StatsReading, day: AbandonCounts, dayStartMs: number, nowMs: number): { sample: CountSample; signals: ControllerSignals; dtSec: number } {
    if (dayStartMs !== this.#dayStartMs) {
      this.#dayStartMs = dayStartMs;
      this.#prev = { stats: this.#prev.stats, day: undefined };
    }
    const firstOfDay = this.#prev.day === undefined;
    const sample = cycleSample(this.#prev, stats, day);
    const dtSec = this.#lastAt === undefined ? this.#intervalSec : Math.max(0, (nowMs - this.#lastAt) / 1000);
    this.#tracker.observe(sample, dtSec);
    // The day's cumulative view starts from the platform's own totals, so it survives restarts.
    if (firstOfDay) this.#tracker.resetDay(day);
    this.#prev = { stats, day };
    this.#lastAt = nowMs;
    return { sample, signals: this.#tracker.signals({ daySec: (nowMs - dayStartMs) / 1000 }), dtSec };
  }
}

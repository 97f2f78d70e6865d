// Run metrics of notes/dialer.md §4.4, as pure functions over Counts (usually minute buckets).
// Percentages are 0–100. Ratios of counts are always computed from summed counts, never by
// averaging per-minute ratios (a ratio of ratios over-weights quiet minutes).
import type { Counts } from './types.ts';
import { sumCounts } from './counts.ts';

/** Regulatory abandon %: abandoned live answers / all live answers (machines excluded). 0 when no live answers. */
export function abandonPct(c: Counts): number {
  return c.live > 0 ? (100 * c.abandoned) / c.live : 0;
}

/** UK-style ACR %: AMD false positives are live people hung up on, so they join both terms. */
export function ukAcrPct(c: Counts): number {
  const live = c.live + c.amdFalsePositives;
  return live > 0 ? (100 * (c.abandoned + c.amdFalsePositives)) / live : 0;
}

/** Occupancy % = (talk + wrap) / logged-in non-paused time. 0 when nobody was staffed. */
export function occupancyPct(c: Counts): number {
  return c.staffedSec > 0 ? (100 * (c.talkSec + c.wrapSec)) / c.staffedSec : 0;
}

/** Talk minutes per staffed (logged-in, non-paused) agent-hour. */
export function talkMinPerAgentHour(c: Counts): number {
  return c.staffedSec > 0 ? c.talkSec / 60 / (c.staffedSec / 3600) : 0;
}

/** Connected live calls per staffed agent-hour. */
export function connectsPerAgentHour(c: Counts): number {
  return c.staffedSec > 0 ? c.connected / (c.staffedSec / 3600) : 0;
}

/** Cumulative abandon % over all buckets. */
export function cumulativeAbandonPct(buckets: readonly Counts[]): number {
  return abandonPct(sumCounts(buckets));
}

export interface WindowResult {
  /** Abandon % of the worst window. */
  pct: number;
  /** First minute of that window. */
  startMinute: number;
  live: number;
  abandoned: number;
}

/**
 * Worst rolling window of `windowMin` whole minutes (stride one minute), counting only windows with
 * at least `minLive` live answers (§4.4: 30 min, ≥ 30 answers; a near-empty window says nothing).
 * `null` when no window qualifies (run shorter than the window, or too few answers).
 */
export function worstWindowAbandon(buckets: readonly Counts[], windowMin = 30, minLive = 30): WindowResult | null {
  if (!(windowMin >= 1) || !Number.isInteger(windowMin)) throw new RangeError(`windowMin must be a positive integer (got ${windowMin})`);
  let live = 0;
  let abandoned = 0;
  let worst: WindowResult | null = null;
  for (let i = 0; i < buckets.length; i++) {
    const add = buckets[i] as Counts;
    live += add.live;
    abandoned += add.abandoned;
    if (i >= windowMin) {
      const drop = buckets[i - windowMin] as Counts;
      live -= drop.live;
      abandoned -= drop.abandoned;
    }
    if (i >= windowMin - 1 && live >= minLive && live > 0) {
      const pct = (100 * abandoned) / live;
      if (worst === null || pct > worst.pct) worst = { pct, startMinute: i - windowMin + 1, live, abandoned };
    }
  }
  return worst;
}

/** Worst rolling 30-minute abandon % (≥ 30 live answers), or null when no window qualifies. */
export function worst30MinAbandonPct(buckets: readonly Counts[]): number | null {
  return worstWindowAbandon(buckets, 30, 30)?.pct ?? null;
}

export interface RunSummary {
  total: Counts;
  minutes: number;
  abandonPct: number;
  ukAcrPct: number;
  worst30MinAbandonPct: number | null;
  worst60MinAbandonPct: number | null;
  occupancyPct: number;
  talkMinPerAgentHour: number;
  connectsPerAgentHour: number;
}

/** All §4.4 per-run metrics from minute buckets. */
export function summarize(buckets: readonly Counts[]): RunSummary {
  const total = sumCounts(buckets);
  return {
    total,
    minutes: buckets.length,
    abandonPct: abandonPct(total),
    ukAcrPct: ukAcrPct(total),
    worst30MinAbandonPct: worst30MinAbandonPct(buckets),
    worst60MinAbandonPct: worstWindowAbandon(buckets, 60, 30)?.pct ?? null,
    occupancyPct: occupancyPct(total),
    talkMinPerAgentHour: talkMinPerAgentHour(total),
    connectsPerAgentHour: connectsPerAgentHour(total),
  };
}

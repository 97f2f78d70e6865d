// Per-campaign drift history held as chart-ready point arrays: applied and recommended pacing
// values and abandon %, 24 h of 30-s cycles (2,880 points) each. The arrays are mutated in place
// so a chart that holds them (chart.js keeps the original array when it decimates) sees new
// points without copying. Pure data structure, no DOM.
import type { HistoryPoint } from '../../preload/contract.ts';

export interface XY {
  x: number;
  y: number;
}

export interface CampaignSeries {
  readonly applied: XY[];
  readonly recommended: XY[];
  readonly abandon: XY[];
  /** Time of the newest point, or -Infinity when empty. */
  lastT: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistoryStoreOptions {
  /** Points older than the newest minus this are dropped. Default 24 h. */
  windowMs?: number;
  /** Hard cap per series, whatever the timestamps say. Default 3,000 (24 h of 30-s cycles, plus slack). */
  maxPoints?: number;
  /** How far past the window (ms) and the cap (points) a series may grow before one trim. Defaults 30 min, 120. */
  trimSlackMs?: number;
  trimSlackPoints?: number;
}

export class HistoryStore {
  readonly #series = new Map<string, CampaignSeries>();
  readonly #windowMs: number;
  readonly #maxPoints: number;
  readonly #slackMs: number;
  readonly #slackPoints: number;

  constructor(opts: HistoryStoreOptions = {}) {
    this.#windowMs = opts.windowMs ?? DAY_MS;
    this.#maxPoints = opts.maxPoints ?? 3_000;
    this.#slackMs = opts.trimSlackMs ?? 30 * 60 * 1000;
    this.#slackPoints = opts.trimSlackPoints ?? 120;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  ids(): string[] {
    return [...this.#series.keys()];
  }

  series(id: string): CampaignSeries {
    let s = this.#series.get(id);
    if (!s) this.#series.set(id, (s = { applied: [], recommended: [], abandon: [], lastT: -Infinity }));
    return s;
  }

  delete(id: string): void {
    this.#series.delete(id);
  }

  /**
   * Merges a fetched history with what live events already delivered (an event may arrive before
   * the history:get answer). Sorted by time; a time seen twice keeps the later arrival.
   */
  merge(id: string, points: readonly HistoryPoint[]): void {
    const s = this.series(id);
    const byT = new Map<number, HistoryPoint>();
    for (const p of points) if (Number.isFinite(p.t)) byT.set(p.t, p);
    for (const p of toPoints(s)) byT.set(p.t, p);
    const merged = [...byT.values()].sort((a, b) => a.t - b.t);
    s.applied.length = 0;
    s.recommended.length = 0;
    s.abandon.length = 0;
    s.lastT = -Infinity;
    for (const p of merged) push(s, p);
    this.#trim(s);
  }

  /** Adds one live point. Returns false for a duplicate or a non-finite time. */
  append(id: string, p: HistoryPoint): boolean {
    if (!Number.isFinite(p.t)) return false;
    const s = this.series(id);
    if (p.t > s.lastT) {
      push(s, p);
    } else {
      if (s.applied.some((q) => q.x === p.t) || s.recommended.some((q) => q.x === p.t) || s.abandon.some((q) => q.x === p.t)) return false;
      // Out of order (rare: a late event): insert in place so the arrays stay sorted for the chart.
      insertSorted(s.applied, p.t, p.applied);
      insertSorted(s.recommended, p.t, p.recommended);
      insertSorted(s.abandon, p.t, p.abandonPct);
    }
    this.#trim(s);
    return true;
  }

  /**
   * Drops points outside the window or over the cap, in batches: trimming one point per append
   * would shift 2,880-element arrays on every cycle. The chart's axis hides the few extra points.
   */
  #trim(s: CampaignSeries): void {
    const from = s.lastT - this.#windowMs;
    for (const arr of [s.applied, s.recommended, s.abandon]) {
      const first = arr[0];
      const tooOld = first !== undefined && first.x < from - this.#slackMs;
      const tooMany = arr.length > this.#maxPoints + this.#slackPoints;
      if (!tooOld && !tooMany) continue;
      let drop = 0;
      while (drop < arr.length && (arr[drop] as XY).x < from) drop++;
      drop = Math.max(drop, arr.length - this.#maxPoints);
      if (drop > 0) arr.splice(0, drop);
    }
  }
}

/** Missing values are left out of a series (the line joins its neighbours). */
function push(s: CampaignSeries, p: HistoryPoint): void {
  if (p.applied !== null && Number.isFinite(p.applied)) s.applied.push({ x: p.t, y: p.applied });
  if (p.recommended !== null && Number.isFinite(p.recommended)) s.recommended.push({ x: p.t, y: p.recommended });
  if (p.abandonPct !== null && Number.isFinite(p.abandonPct)) s.abandon.push({ x: p.t, y: p.abandonPct });
  s.lastT = Math.max(s.lastT, p.t);
}

function insertSorted(arr: XY[], t: number, y: number | null): void {
  if (y === null || !Number.isFinite(y)) return;
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((arr[mid] as XY).x < t) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, { x: t, y });
}

function toPoints(s: CampaignSeries): HistoryPoint[] {
  const byT = new Map<number, HistoryPoint>();
  const at = (t: number) => {
    let p = byT.get(t);
    if (!p) byT.set(t, (p = { t, applied: null, recommended: null, abandonPct: null }));
    return p;
  };
  for (const q of s.applied) at(q.x).applied = q.y;
  for (const q of s.recommended) at(q.x).recommended = q.y;
  for (const q of s.abandon) at(q.x).abandonPct = q.y;
  return [...byT.values()];
}

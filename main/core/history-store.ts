// Per-campaign drift history for the dashboard chart: one point per tuning cycle, bounded to 24 h
// of 30-second cycles (2,880 points) per campaign, in memory. The audit trail is the durable record.
import type { HistoryPoint } from '../../preload/contract.ts';

export const HISTORY_POINTS_PER_CAMPAIGN = 2880;

export class HistoryStore {
  readonly #max: number;
  readonly #series = new Map<string, HistoryPoint[]>();

  constructor(max = HISTORY_POINTS_PER_CAMPAIGN) {
    this.#max = max;
  }

  add(campaignId: string, point: HistoryPoint): void {
    let s = this.#series.get(campaignId);
    if (!s) this.#series.set(campaignId, (s = []));
    // One point per time: a second cycle stamped the same instant replaces the first.
    const same = s.findIndex((p) => p.t === point.t);
    if (same >= 0) {
      s[same] = point;
      return;
    }
    // Keep time order even if points arrive slightly out of order.
    if (s.length && s[s.length - 1]!.t > point.t) {
      const i = s.findIndex((p) => p.t > point.t);
      s.splice(i, 0, point);
    } else {
      s.push(point);
    }
    if (s.length > this.#max) s.splice(0, s.length - this.#max);
  }

  points(campaignId: string, sinceMs = 0): HistoryPoint[] {
    return (this.#series.get(campaignId) ?? []).filter((p) => p.t >= sinceMs);
  }
}

// Accounting for one model run. Every call event is logged with its time and every agent-state change
// with the agent-seconds accumulated so far, so `counts(from, to)` is exact for any interval: events
// by binary search, agent-seconds by extrapolating from the last change before each bound. Minute
// buckets are differences of the same cumulative function, so buckets, intervals and totals always
// agree. Detail older than the retention window is dropped; minute rows are kept.
import type { Counts } from './types.ts';
import { EVENT_FIELDS, SECONDS_FIELDS, subtractCounts, zeroCounts } from './counts.ts';
import { TimeLog } from './time-log.ts';

/** Index of each event counter, in `EVENT_FIELDS` order. */
export const EV = {
  dials: 0,
  live: 1,
  connected: 2,
  abandoned: 3,
  machines: 4,
  noAnswer: 5,
  fails: 6,
  amdFalsePositives: 7,
} as const satisfies { [K in (typeof EVENT_FIELDS)[number]]: number };
export type EventIndex = (typeof EV)[keyof typeof EV];

const N_EVENTS = EVENT_FIELDS.length;
const N_SECONDS = SECONDS_FIELDS.length;
// Agent row: [t, cum ready/talk/wrap/paused seconds, n ready/talk/wrap/paused from t on].
const AGENT_WIDTH = 1 + 2 * N_SECONDS;
// Minute row m: [60m, event counts before 60m, agent-seconds before 60m].
const MINUTE_WIDTH = 1 + N_EVENTS + N_SECONDS;
/** Only compact when at least this many rows can go, so compaction stays rare. */
const MIN_DROP_ROWS = 4096;

export class Ledger {
  readonly #retentionSec: number;
  readonly #events: TimeLog[] = [];
  readonly #dropped: number[] = new Array<number>(N_EVENTS).fill(0);
  readonly #agents = new TimeLog(AGENT_WIDTH);
  readonly #minutes = new TimeLog(MINUTE_WIDTH, 512);
  readonly #buckets: Counts[] = [];
  /** Bounds at or after this time are exact; earlier ones fall back to minute rows. */
  #detailFrom = 0;

  constructor(retentionSec: number) {
    this.#retentionSec = retentionSec;
    for (let k = 0; k < N_EVENTS; k++) this.#events.push(new TimeLog(1, 1024));
    this.#agents.append(); // t = 0, nothing accumulated, nobody logged in (array is zero-filled)
    this.#minutes.append(); // minute 0 starts with everything at zero
  }

  record(kind: EventIndex, t: number): void {
    const log = this.#events[kind] as TimeLog;
    const off = log.append();
    log.data[off] = t;
  }

  /** Records the agent counts in force from time t on. */
  agentCounts(t: number, ready: number, talk: number, wrap: number, paused: number): void {
    const log = this.#agents;
    let d = log.data;
    const o = log.offset(log.length - 1);
    const last = d[o] as number;
    if (last === t) {
      // Several changes at one instant: nothing accrued in between, keep one row.
      d[o + 5] = ready;
      d[o + 6] = talk;
      d[o + 7] = wrap;
      d[o + 8] = paused;
      return;
    }
    const dt = t - last;
    const c0 = (d[o + 1] as number) + (d[o + 5] as number) * dt;
    const c1 = (d[o + 2] as number) + (d[o + 6] as number) * dt;
    const c2 = (d[o + 3] as number) + (d[o + 7] as number) * dt;
    const c3 = (d[o + 4] as number) + (d[o + 8] as number) * dt;
    const n = log.append();
    d = log.data;
    d[n] = t;
    d[n + 1] = c0;
    d[n + 2] = c1;
    d[n + 3] = c2;
    d[n + 4] = c3;
    d[n + 5] = ready;
    d[n + 6] = talk;
    d[n + 7] = wrap;
    d[n + 8] = paused;
  }

  /** Counts over [0, t). Requires t ≤ the time of the latest processed event horizon (the caller's now). */
  cumulative(t: number): Counts {
    const out = zeroCounts();
    if (t <= 0) return out;
    if (t < this.#detailFrom) {
      // Beyond retention: round down to the minute.
      const m = this.#minutes;
      const o = m.offset(Math.min(Math.floor(t / 60), m.length - 1));
      const d = m.data;
      for (let k = 0; k < N_EVENTS; k++) out[EVENT_FIELDS[k] as (typeof EVENT_FIELDS)[number]] = d[o + 1 + k] as number;
      for (let k = 0; k < N_SECONDS; k++) out[SECONDS_FIELDS[k] as (typeof SECONDS_FIELDS)[number]] = d[o + 1 + N_EVENTS + k] as number;
    } else {
      for (let k = 0; k < N_EVENTS; k++) {
        const log = this.#events[k] as TimeLog;
        out[EVENT_FIELDS[k] as (typeof EVENT_FIELDS)[number]] = (this.#dropped[k] as number) + log.countBefore(t);
      }
      const a = this.#agents;
      const o = a.offset(Math.max(0, a.lastAtOrBefore(t)));
      const d = a.data;
      const dt = t - (d[o] as number);
      for (let k = 0; k < N_SECONDS; k++) {
        out[SECONDS_FIELDS[k] as (typeof SECONDS_FIELDS)[number]] = (d[o + 1 + k] as number) + (d[o + 1 + N_SECONDS + k] as number) * dt;
      }
    }
    out.staffedSec = out.readySec + out.talkSec + out.wrapSec;
    return out;
  }

  counts(from: number, to: number): Counts {
    return subtractCounts(this.cumulative(to), this.cumulative(from));
  }

  /**
   * Called once the model has processed everything before `now`: writes the rows of every minute
   * boundary reached, then drops detail older than the retention window. Cheap when no minute
   * boundary was crossed, so it can be called on every event.
   */
  settle(now: number): void {
    const m = this.#minutes;
    if (m.length * 60 > now) return; // no new minute: nothing to write or drop
    while (m.length * 60 <= now) {
      const t = m.length * 60;
      const c = this.cumulative(t);
      const o = m.append();
      const d = m.data;
      d[o] = t;
      for (let k = 0; k < N_EVENTS; k++) d[o + 1 + k] = c[EVENT_FIELDS[k] as (typeof EVENT_FIELDS)[number]];
      for (let k = 0; k < N_SECONDS; k++) d[o + 1 + N_EVENTS + k] = c[SECONDS_FIELDS[k] as (typeof SECONDS_FIELDS)[number]];
    }
    this.#compact(now);
  }

  /** Buckets for every whole minute settled so far (index m covers [60m, 60m + 60)). */
  minuteBuckets(): readonly Counts[] {
    const m = this.#minutes;
    const d = m.data;
    while (this.#buckets.length < m.length - 1) {
      const i = this.#buckets.length;
      const a = m.offset(i);
      const b = m.offset(i + 1);
      const out = zeroCounts();
      for (let k = 0; k < N_EVENTS; k++) {
        out[EVENT_FIELDS[k] as (typeof EVENT_FIELDS)[number]] = (d[b + 1 + k] as number) - (d[a + 1 + k] as number);
      }
      for (let k = 0; k < N_SECONDS; k++) {
        const j = 1 + N_EVENTS + k;
        out[SECONDS_FIELDS[k] as (typeof SECONDS_FIELDS)[number]] = (d[b + j] as number) - (d[a + j] as number);
      }
      out.staffedSec = out.readySec + out.talkSec + out.wrapSec;
      this.#buckets.push(Object.freeze(out));
    }
    return this.#buckets;
  }

  #compact(now: number): void {
    const horizon = Math.floor((now - this.#retentionSec) / 60) * 60;
    if (horizon <= this.#detailFrom) return;
    // Keep the last agent row at or before the horizon: it carries the state in force there.
    const agentDrop = Math.max(0, this.#agents.lastAtOrBefore(horizon));
    let drop = agentDrop;
    const eventDrop = this.#events.map((log) => log.countBefore(horizon));
    for (const n of eventDrop) drop += n;
    if (drop < MIN_DROP_ROWS) return;
    this.#agents.dropFront(agentDrop);
    for (let k = 0; k < N_EVENTS; k++) {
      const n = eventDrop[k] as number;
      (this.#events[k] as TimeLog).dropFront(n);
      this.#dropped[k] = (this.#dropped[k] as number) + n;
    }
    this.#detailFrom = horizon;
  }
}

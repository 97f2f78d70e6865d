// Keeps the tuning loops of all campaigns within the platform's per-token request budget
// (300 requests/min per client-credentials token; notes/genesys.md D).
//
// Two layers: `planSchedule` spreads the campaigns' cycles (stagger plus jitter) and stretches the
// interval when the configured ones cannot fit; `RequestBudget` is the hard guarantee, a sliding
// 60-s window shared by every loop that makes a request wait rather than exceed the budget
// (conflict retries and 429 re-tries cost requests the plan did not count).
import { sleep, type Clock } from '../util/clock.ts';

const WINDOW_MS = 60_000;

export class RequestBudget {
  readonly perMinute: number;
  readonly #clock: Clock;
  /** Start times of the requests in the current window, oldest first. */
  #times: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(perMinute: number, clock: Clock) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`request budget must be a positive integer, got ${perMinute}`);
    this.perMinute = perMinute;
    this.#clock = clock;
  }

  /** Requests started in the last minute. */
  get used(): number {
    this.#prune(this.#clock.now());
    return this.#times.length;
  }

  /** Resolves when one more request fits in the last 60 s; callers are served in order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
    // A cancelled waiter must not block the ones behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      this.#prune(now);
      if (this.#times.length < this.perMinute) {
        this.#times.push(now);
        return;
      }
      await sleep(this.#clock, this.#times[0]! + WINDOW_MS - now, signal);
    }
  }

  #prune(now: number): void {
    while (this.#times.length && this.#times[0]! <= now - WINDOW_MS) this.#times.shift();
  }
}

export interface SchedulePlan {
  /** Effective interval per campaign (s), never below the configured one. */
  intervalsSec: number[];
  /** First-cycle delay per campaign (ms). */
  offsetsMs: number[];
  /** Planned requests per minute for all campaigns together. */
  plannedPerMinute: number;
  stretched: boolean;
}

/**
 * Staggers n campaigns evenly over the shortest interval, adds up to `jitterFraction` of a slot of
 * random start jitter, and, when Σ requests/min would exceed `budgetShare` of the budget, stretches
 * every interval by the same factor.
 */
export function planSchedule(
  intervalsSec: readonly number[],
  requestsPerCycle: number,
  budgetPerMinute: number,
  random: () => number,
  opts: { budgetShare?: number; jitterFraction?: number } = {},
): SchedulePlan {
  const share = opts.budgetShare ?? 0.8;
  const jitter = opts.jitterFraction ?? 0.25;
  const n = intervalsSec.length;
  if (n === 0) return { intervalsSec: [], offsetsMs: [], plannedPerMinute: 0, stretched: false };
  const wanted = intervalsSec.reduce((a, s) => a + (requestsPerCycle * 60) / s, 0);
  const factor = Math.max(1, wanted / (share * budgetPerMinute));
  const effective = intervalsSec.map((s) => s * factor);
  const slotMs = (Math.min(...effective) * 1000) / n;
  const offsetsMs = effective.map((_, i) => Math.round(i * slotMs + random() * jitter * slotMs));
  return { intervalsSec: effective, offsetsMs, plannedPerMinute: wanted / factor, stretched: factor > 1 };
}

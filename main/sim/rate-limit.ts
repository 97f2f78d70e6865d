// Per-token request budget (notes D: 300 requests/min per client-credentials token). A fixed
// one-minute window that opens with the token's first request; over budget the caller gets the
// seconds until the window closes, which is what the platform puts in Retry-After. Pure: the
// caller passes the (virtual) time in.

export type RateDecision =
  | { allowed: true; count: number; limit: number; resetSec: number }
  | { allowed: false; retryAfterSec: number; limit: number };

interface Window {
  start: number;
  count: number;
}

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

export class RateLimiter {
  #limit: number;
  readonly #windows = new Map<string, Window>();

  constructor(limitPerMinute: number) {
    this.#limit = RateLimiter.#validate(limitPerMinute);
  }

  get limit(): number {
    return this.#limit;
  }

  set limit(perMinute: number) {
    this.#limit = RateLimiter.#validate(perMinute);
  }

  check(key: string, nowMs: number): RateDecision {
    let w = this.#windows.get(key);
    if (!w || nowMs >= w.start + WINDOW_MS || nowMs < w.start) {
      if (!w && this.#windows.size >= MAX_KEYS) this.#prune(nowMs);
      w = { start: nowMs, count: 0 };
      this.#windows.set(key, w);
    }
    const resetSec = Math.max(1, Math.ceil((w.start + WINDOW_MS - nowMs) / 1000));
    if (w.count >= this.#limit) return { allowed: false, retryAfterSec: resetSec, limit: this.#limit };
    w.count += 1;
    return { allowed: true, count: w.count, limit: this.#limit, resetSec };
  }

  reset(key?: string): void {
    if (key === undefined) this.#windows.clear();
    else this.#windows.delete(key);
  }

  #prune(nowMs: number): void {
    for (const [k, w] of this.#windows) if (nowMs >= w.start + WINDOW_MS) this.#windows.delete(k);
    // Still full of live windows: drop the oldest rather than grow without bound.
    while (this.#windows.size >= MAX_KEYS) this.#windows.delete(this.#windows.keys().next().value as string);
  }

  static #validate(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`rate limit must be a positive integer, got ${n}`);
    return n;
  }
}

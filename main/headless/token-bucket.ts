// A token bucket for the bridge's per-connection request rate. Pure: time comes from the caller,
// so tests drive it without waiting.

export interface TokenBucketOptions {
  /** Sustained requests per second. */
  ratePerSec: number;
  /** Requests allowed in one burst (the bucket's size). */
  burst: number;
}

export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(opts: TokenBucketOptions, nowMs: number) {
    if (!(opts.ratePerSec > 0) || !(opts.burst >= 1)) throw new RangeError('ratePerSec must be > 0 and burst ≥ 1');
    this.#rate = opts.ratePerSec;
    this.#burst = opts.burst;
    this.#tokens = opts.burst;
    this.#last = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.#last) / 1000;
    this.#last = Math.max(this.#last, nowMs);
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

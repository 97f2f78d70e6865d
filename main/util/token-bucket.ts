// A token bucket: bursts up to `burst`, sustains `perSecond`. Used for the relay's and the headless
// bridge's per-client message rates. Pure: the caller passes the time in, so tests need no clock.

export interface RateLimitOptions {
  /** Sustained messages per second. */
  perSecond: number;
  /** Bucket size: messages allowed back to back. */
  burst: number;
}

export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(opts: RateLimitOptions, nowMs: number) {
    if (!(opts.perSecond > 0) || !(opts.burst >= 1)) throw new RangeError('rate limit needs perSecond > 0 and burst >= 1');
    this.#rate = opts.perSecond / 1000;
    this.#burst = opts.burst;
    this.#tokens = opts.burst;
    this.#last = nowMs;
  }

  /** Takes one token; false means over the limit. */
  take(nowMs: number): boolean {
    const elapsed = nowMs - this.#last;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
      this.#last = nowMs;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  get available(): number {
    return Math.floor(this.#tokens);
  }
}

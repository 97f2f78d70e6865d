// Per-client message-rate limit: a token bucket. A client may burst up to `burst` messages and
// sustain `perSecond`; one message more and the caller closes it with 1008. Pure: the caller
// passes the time in, so tests drive it without a clock.

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

/**
 * Counts malformed frames in a sliding window; `record` returns true when the client crossed the
 * limit and should be closed. Frames further apart than the window are forgiven.
 */
export class StrikeCounter {
  readonly #limit: number;
  readonly #windowMs: number;
  #times: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  record(nowMs: number): boolean {
    this.#times = this.#times.filter((t) => nowMs - t < this.#windowMs);
    this.#times.push(nowMs);
    return this.#times.length >= this.#limit;
  }

  get count(): number {
    return this.#times.length;
  }
}

// Per-client malformed-frame strikes (the message rate is a token bucket: main/util/token-bucket.ts).

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

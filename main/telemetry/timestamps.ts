// Point timestamps, assigned once when a point is created and stored with it in the spool, so a
// replay after an outage or a crash carries the same timestamp and overwrites itself in InfluxDB
// instead of adding a duplicate.
import type { Clock } from '../util/clock.ts';

const NS_PER_MS = 1_000_000n;

/**
 * Nanosecond timestamps from a millisecond clock, strictly increasing within the process: two
 * points of the same series created in the same millisecond get distinct timestamps, so neither
 * overwrites the other. (VictoriaMetrics keeps millisecond precision; see docs/telemetry.md.)
 */
export class NanoTimestamps {
  readonly #clock: Clock;
  #last = 0n;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  next(): bigint {
    return this.at(this.#clock.now());
  }

  /**
   * A timestamp for a point stamped at `ms` (epoch milliseconds): ms·10⁶, or one nanosecond past
   * the previous timestamp when that is later, so that points stamped in the same millisecond
   * never share a timestamp. Times only move forward by nanoseconds, never by a millisecond.
   */
  at(ms: number): bigint {
    const t = BigInt(Math.floor(ms)) * NS_PER_MS;
    this.#last = t > this.#last || this.#last - t >= NS_PER_MS ? t : this.#last + 1n;
    return this.#last;
  }
}

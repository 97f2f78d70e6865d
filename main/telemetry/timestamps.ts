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
    const now = BigInt(Math.floor(this.#clock.now())) * NS_PER_MS;
    this.#last = now > this.#last ? now : this.#last + 1n;
    return this.#last;
  }
}

/** Unix milliseconds to nanoseconds, for points that carry their own time. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * NS_PER_MS;
}

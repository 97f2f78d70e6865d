// Signal windows for the tuning loop. Every rate here is count-weighted: the abandon rate is
// Σ abandons / Σ live answers over the window, never an average of per-cycle ratios, because one
// quiet cycle with 1 live answer and 1 abandon would otherwise count as much as a busy one.
//
// The seed's circular buffer divided by its capacity even before it was full, and after the write
// index wrapped it still averaged stale slots in a fixed order; this window keeps an explicit fill
// count so it averages only real samples, before and after the wrap.

/** Counts observed over one cycle (deltas, not running totals). */
export interface CountSample {
  /** Live answers (the regulatory denominator: connected + abandoned). */
  live: number;
  /** Live answers not connected to an agent in time. */
  abandoned: number;
  /** Dial attempts (connect-ratio denominator). */
  attempts: number;
  /** Attempts that reached a live voice (connect-ratio numerator). */
  connects: number;
}

export interface WindowSums extends CountSample {
  /** Samples the sums cover (≤ capacity). */
  samples: number;
}

export const ZERO_COUNTS: Readonly<CountSample> = Object.freeze({ live: 0, abandoned: 0, attempts: 0, connects: 0 });

/** Σ numerator / Σ denominator, or undefined when there is nothing to divide by. */
export function ratioOf(numerator: number, denominator: number): number | undefined {
  return denominator > 0 && Number.isFinite(numerator) && Number.isFinite(denominator) ? numerator / denominator : undefined;
}

/** True when every field is a finite, non-negative number. */
export function isValidSample(s: CountSample): boolean {
  return [s.live, s.abandoned, s.attempts, s.connects].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
}

/**
 * Fixed-capacity sliding window over the last `capacity` cycles. Sums are recomputed from the
 * filled slots on each read (capacity is small), so floating-point drift never accumulates.
 */
export class SlidingWindow {
  readonly capacity: number;
  readonly #slots: CountSample[];
  /** Index the next sample goes to. */
  #next = 0;
  /** Slots holding real samples (grows to capacity, then stays there). */
  #filled = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#slots = new Array<CountSample>(capacity);
  }

  get filled(): number {
    return this.#filled;
  }

  /** Adds one cycle's counts, overwriting the oldest once full. Invalid samples throw RangeError. */
  push(sample: CountSample): void {
    if (!isValidSample(sample)) throw new RangeError('window sample must hold finite, non-negative counts');
    this.#slots[this.#next] = { live: sample.live, abandoned: sample.abandoned, attempts: sample.attempts, connects: sample.connects };
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#filled < this.capacity) this.#filled++;
  }

  /** Samples oldest first. */
  samples(): CountSample[] {
    const out: CountSample[] = [];
    const start = (this.#next - this.#filled + this.capacity) % this.capacity;
    for (let i = 0; i < this.#filled; i++) out.push(this.#slots[(start + i) % this.capacity]!);
    return out;
  }

  sums(): WindowSums {
    const s = { live: 0, abandoned: 0, attempts: 0, connects: 0, samples: this.#filled };
    for (const x of this.samples()) {
      s.live += x.live;
      s.abandoned += x.abandoned;
      s.attempts += x.attempts;
      s.connects += x.connects;
    }
    return s;
  }

  /** Mean of one field per filled slot (not per capacity). */
  mean(field: keyof CountSample): number | undefined {
    if (this.#filled === 0) return undefined;
    let t = 0;
    for (const x of this.samples()) t += x[field];
    return t / this.#filled;
  }

  /** Σ abandoned / Σ live over the window, as a fraction. */
  abandonRate(): number | undefined {
    const s = this.sums();
    return ratioOf(s.abandoned, s.live);
  }

  /** Σ connects / Σ attempts over the window. */
  connectRatio(): number | undefined {
    const s = this.sums();
    return ratioOf(s.connects, s.attempts);
  }

  clear(): void {
    this.#next = 0;
    this.#filled = 0;
  }
}

/**
 * Exponentially weighted counts: each push first decays the running sums by 0.5^(dt/halfLife),
 * then adds the new counts. The rate is a ratio of decayed sums, so it is count-weighted too.
 */
export class EwmaCounts {
  readonly halfLifeSec: number;
  #sums: CountSample = { ...ZERO_COUNTS };

  constructor(halfLifeSec: number) {
    if (!(halfLifeSec > 0) || !Number.isFinite(halfLifeSec)) throw new RangeError(`half-life must be a positive number, got ${halfLifeSec}`);
    this.halfLifeSec = halfLifeSec;
  }

  /** `dtSec` is the time since the previous push (its decay applies to the older counts). */
  push(sample: CountSample, dtSec: number): void {
    if (!isValidSample(sample)) throw new RangeError('EWMA sample must hold finite, non-negative counts');
    if (!(dtSec >= 0) || !Number.isFinite(dtSec)) throw new RangeError(`dtSec must be finite and ≥ 0, got ${dtSec}`);
    const k = Math.pow(0.5, dtSec / this.halfLifeSec);
    const s = this.#sums;
    this.#sums = {
      live: s.live * k + sample.live,
      abandoned: s.abandoned * k + sample.abandoned,
      attempts: s.attempts * k + sample.attempts,
      connects: s.connects * k + sample.connects,
    };
  }

  sums(): CountSample {
    return { ...this.#sums };
  }

  abandonRate(): number | undefined {
    return ratioOf(this.#sums.abandoned, this.#sums.live);
  }
}

/**
 * Turns running totals (the platform's cumulative `contactRate` counters) into per-cycle deltas.
 * A total that goes backwards means the counters were reset (campaign restarted or recycled):
 * the new total is then the delta, rather than a negative count.
 */
export function deltaOf(previous: number | undefined, current: number): number {
  if (previous === undefined) return 0;
  return current >= previous ? current - previous : current;
}

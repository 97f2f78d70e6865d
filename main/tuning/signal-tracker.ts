// Per-campaign signal state: the sliding window, the EWMA and the campaign-day tally, fed one
// cycle's counts at a time. The loop and the evaluation both use it, so the controller sees the
// same view of the same counts in the benchmark as in production.
import type { ControllerSignals } from './controller.ts';
import { EwmaCounts, isValidSample, SlidingWindow, ZERO_COUNTS, type CountSample } from './signal-window.ts';

export interface SignalTrackerOptions {
  /** The loop's cycle length (s); sets how many slots the sliding window needs. */
  intervalSec: number;
  /** Rolling compliance window (min). */
  windowMinutes: number;
  /** EWMA half-life (min). */
  halfLifeMinutes: number;
}

export interface DayTally {
  live: number;
  abandoned: number;
  attempts: number;
}

export class SignalTracker {
  readonly #window: SlidingWindow;
  readonly #ewma: EwmaCounts;
  #day: DayTally = { live: 0, abandoned: 0, attempts: 0 };
  #last: CountSample = { ...ZERO_COUNTS };
  #spanSec = 0;
  #spans: number[] = [];

  constructor(options: SignalTrackerOptions) {
    if (!(options.intervalSec > 0)) throw new RangeError(`intervalSec must be > 0, got ${options.intervalSec}`);
    if (!(options.windowMinutes > 0)) throw new RangeError(`windowMinutes must be > 0, got ${options.windowMinutes}`);
    this.#window = new SlidingWindow(Math.max(1, Math.round((options.windowMinutes * 60) / options.intervalSec)));
    this.#ewma = new EwmaCounts(options.halfLifeMinutes * 60);
  }

  /**
   * Adds one cycle's counts covering `dtSec`. Throws RangeError on invalid counts, leaving the
   * state untouched, so a malformed reading never half-updates the windows.
   */
  observe(sample: CountSample, dtSec: number): void {
    if (!isValidSample(sample)) throw new RangeError('counts must be finite and non-negative');
    if (!(dtSec >= 0) || !Number.isFinite(dtSec)) throw new RangeError(`dtSec must be finite and ≥ 0, got ${dtSec}`);
    this.#window.push(sample);
    this.#ewma.push(sample, dtSec);
    this.#spans.push(dtSec);
    if (this.#spans.length > this.#window.capacity) this.#spans.shift();
    this.#spanSec = this.#spans.reduce((a, b) => a + b, 0);
    this.#day = {
      live: this.#day.live + sample.live,
      abandoned: this.#day.abandoned + sample.abandoned,
      attempts: this.#day.attempts + sample.attempts,
    };
    this.#last = { ...sample };
  }

  /** Starts a new campaign day (the cumulative compliance view); windows carry on. */
  resetDay(day: DayTally = { live: 0, abandoned: 0, attempts: 0 }): void {
    this.#day = { ...day };
  }

  get day(): DayTally {
    return { ...this.#day };
  }

  signals(extra: Pick<ControllerSignals, 'agents' | 'daySec'> = {}): ControllerSignals {
    return {
      window: { ...this.#window.sums(), spanSec: this.#spanSec },
      smoothed: this.#ewma.sums(),
      day: { ...this.#day },
      last: { ...this.#last },
      ...(extra.agents ? { agents: { ...extra.agents } } : {}),
      ...(extra.daySec !== undefined ? { daySec: extra.daySec } : {}),
    };
  }
}

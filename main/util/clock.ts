// One notion of time for the whole app. Production uses the system clock; tests and the
// simulator use a manual (virtual) clock so long runs are fast and deterministic.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's timeline. */
  now(): number;
  /** Calls `fn` once after `ms` of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * Calls `fn` every `ms` of `clock` time until cancelled; each interval starts when the previous
 * call returns, so a slow call never overlaps the next. Cancelling from inside `fn` stops it too.
 */
export function every(clock: Clock, ms: number, fn: () => void): TimerHandle {
  let cancelled = false;
  let timer: TimerHandle | undefined;
  const arm = (): void => {
    timer = clock.setTimeout(() => {
      if (cancelled) return;
      fn();
      if (!cancelled) arm();
    }, ms);
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      timer?.cancel();
    },
  };
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason when aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      handle.cancel();
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Virtual time. Nothing moves until `advance` or `advanceTo` is called; timers fire in
 * (due time, creation order) and may schedule further timers, which fire within the same advance
 * when due. Promise continuations run between timers so async code observes each step.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 5, 8, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Number of timers that have not fired or been cancelled. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      await flushMicrotasks();
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      let next: PendingTimer | undefined;
      for (const t of this.#timers) {
        if (t.at <= targetMs && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, targetMs);
    await flushMicrotasks();
  }
}

/** Lets pending promise callbacks (several hops deep) run before virtual time moves on. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}

/**
 * Virtual time that follows the wall clock at `speed`× (the simulator's `--speed`).
 * Timers are real timers scaled down by `speed`.
 */
export class ScaledClock implements Clock {
  readonly #wallStart: number;
  readonly #virtualStart: number;
  readonly #speed: number;

  constructor(speed: number, virtualStartMs = Date.now()) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.#speed = speed;
    this.#wallStart = Date.now();
    this.#virtualStart = virtualStartMs;
  }

  get speed(): number {
    return this.#speed;
  }

  now(): number {
    return this.#virtualStart + (Date.now() - this.#wallStart) * this.#speed;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return systemClock.setTimeout(fn, ms / this.#speed);
  }
}

// Draws dirty charts on animation frames within a time budget. A burst of history events (ten
// campaigns finishing a cycle together) costs one draw per chart, not one per point, and when
// drawing every dirty chart would take longer than the budget the rest wait for the next frame,
// in first-come order, so a frame never stalls on ten charts at once.

export interface Drawable {
  draw(): void;
}

export interface FrameSchedulerOptions {
  /** Drawing time per frame before the rest is left for the next one. Default 3 ms: one chart (2–3 ms to update, plus its raster at paint) per frame, two when they are quick. */
  budgetMs?: number;
  now?: () => number;
  /** Instrumentation (the benchmark): time spent, charts drawn and left pending, per frame. */
  onFlush?: (ms: number, drawn: number, pending: number) => void;
}

export class FrameScheduler {
  // A Set keeps first-request order and ignores repeats, so a busy chart cannot starve the others.
  readonly #dirty = new Set<Drawable>();
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #onFlush: FrameSchedulerOptions['onFlush'];
  #requested = false;

  constructor(opts: FrameSchedulerOptions = {}) {
    this.#budgetMs = opts.budgetMs ?? 3;
    this.#now = opts.now ?? (() => performance.now());
    this.#onFlush = opts.onFlush;
  }

  request(d: Drawable): void {
    this.#dirty.add(d);
    this.#schedule();
  }

  cancel(d: Drawable): void {
    this.#dirty.delete(d);
  }

  /** Draws pending charts until the budget is spent (at least one); the rest go to the next frame. */
  flush(): void {
    this.#requested = false;
    const start = this.#now();
    let drawn = 0;
    for (const d of this.#dirty) {
      if (drawn > 0 && this.#now() - start >= this.#budgetMs) break;
      this.#dirty.delete(d);
      d.draw();
      drawn++;
    }
    this.#onFlush?.(this.#now() - start, drawn, this.#dirty.size);
    if (this.#dirty.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#requested) return;
    this.#requested = true;
    requestAnimationFrame(() => this.flush());
  }
}

export const frameScheduler = new FrameScheduler();

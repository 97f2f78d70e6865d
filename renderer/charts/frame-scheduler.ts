// Coalesces chart redraws into one per animation frame: a burst of history events (ten campaigns
// finishing a cycle together) costs one draw per chart, not one per point.

export interface Drawable {
  draw(): void;
}

export class FrameScheduler {
  readonly #dirty = new Set<Drawable>();
  #requested = false;

  request(d: Drawable): void {
    this.#dirty.add(d);
    if (this.#requested) return;
    this.#requested = true;
    requestAnimationFrame(() => this.flush());
  }

  cancel(d: Drawable): void {
    this.#dirty.delete(d);
  }

  /** Draws everything pending now (also used by tests and the benchmark). */
  flush(): void {
    this.#requested = false;
    const batch = [...this.#dirty];
    this.#dirty.clear();
    for (const d of batch) d.draw();
  }
}

export const frameScheduler = new FrameScheduler();

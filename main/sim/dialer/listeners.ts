// Listener list for model notifications. Copy-on-write, so a listener may unsubscribe itself or
// others while an event is being delivered, and each subscription is removed exactly once.

export class Listeners<T> {
  #list: Array<(value: T) => void> = [];

  get size(): number {
    return this.#list.length;
  }

  add(listener: (value: T) => void): () => void {
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (value: T) => listener(value);
    this.#list = [...this.#list, entry];
    return () => {
      const i = this.#list.indexOf(entry);
      if (i >= 0) this.#list = this.#list.toSpliced(i, 1);
    };
  }

  /** Calls every listener; one that throws is reported to `onError` and the rest still run. */
  emit(value: T, onError: (e: unknown) => void): void {
    for (const l of this.#list) {
      try {
        l(value);
      } catch (e) {
        onError(e);
      }
    }
  }
}

// Piecewise-constant schedules (agent targets, pLive, multipliers). Lookups during a run go through a
// cursor because simulated time only moves forward, which makes each lookup amortised O(1).
import type { Schedule } from './types.ts';

/** Value in force at time t (the last entry with `at` ≤ t); the first value before the first entry. */
export function valueAt<T>(s: Schedule<T>, t: number): T {
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((s[mid] as { at: number }).at <= t) lo = mid;
    else hi = mid - 1;
  }
  return (s[lo] as { value: T }).value;
}

/** Forward-only reader of a schedule. Asking for an earlier time than last time falls back to search. */
export class ScheduleCursor<T> {
  readonly #s: Schedule<T>;
  #i = 0;

  constructor(s: Schedule<T>) {
    this.#s = s;
  }

  at(t: number): T {
    const s = this.#s;
    if (t < (s[this.#i] as { at: number }).at) return valueAt(s, t);
    while (this.#i + 1 < s.length && (s[this.#i + 1] as { at: number }).at <= t) this.#i++;
    return (s[this.#i] as { value: T }).value;
  }
}

/** Sorted distinct change times of several schedules. */
export function changeTimes(...schedules: Array<Schedule<unknown> | undefined>): number[] {
  const set = new Set<number>();
  for (const s of schedules) for (const e of s ?? []) set.add(e.at);
  return [...set].sort((a, b) => a - b);
}

/** A constant schedule. */
export function constant<T>(value: T): Schedule<T> {
  return [{ at: 0, value }];
}

// Small deterministic PRNGs for the dialer model. Common random numbers (notes/dialer.md §4.1) need
// many short, independent streams keyed by (seed, lead, purpose): splitmix32's mixer derives each
// stream's starting state from the key, and mulberry32 runs the stream. Both are 32-bit integer
// arithmetic only, so results are identical on every platform and Node version.

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

/**
 * splitmix32 step: adds the golden-ratio increment and applies a bijective avalanche mix (murmur3's
 * finaliser constants). Consecutive integers come out statistically unrelated, which is what makes
 * keys like (seed, 0), (seed, 1), … safe starting points for separate streams.
 */
export function splitmix32(x: number): number {
  let z = (x + GOLDEN_GAMMA) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Folds a seed into 32 bits. Safe integers above 2^32 keep their high half, so seeds that differ
 * only in the high bits still give different runs.
 */
export function seedState(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return splitmix32(lo ^ splitmix32(hi));
}

/**
 * Key of the stream for one (index, purpose) pair under a seed state. splitmix32 is a bijection,
 * so distinct indices give distinct inner values; the second mix separates purposes.
 */
export function streamKey(state: number, index: number, purpose: number): number {
  return splitmix32(splitmix32(state ^ splitmix32(index >>> 0)) ^ Math.imul(purpose + 1, GOLDEN_GAMMA));
}

/**
 * mulberry32 generator. One instance is re-keyed with `reset` for each short per-lead stream, so the
 * hot path allocates nothing.
 */
export class Mulberry32 {
  #state: number;

  constructor(key = 0) {
    this.#state = key | 0;
  }

  /** Restarts the stream from `key` (any 32-bit value). */
  reset(key: number): this {
    this.#state = key | 0;
    return this;
  }

  /** Raw 32-bit output. */
  nextUint32(): number {
    const a = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * Uniform in the open interval (0, 1). Never 0, so `Math.log(u)` is finite, and never 1, so
   * `u < p` is false for p = 0 and true for p = 1.
   */
  next(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** A new, independent generator derived from this one's state and a tag (splitting). */
  split(tag: number): Mulberry32 {
    return new Mulberry32(splitmix32(this.nextUint32() ^ splitmix32(tag >>> 0)));
  }
}

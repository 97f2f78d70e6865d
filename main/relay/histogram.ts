// A fixed-memory latency/size histogram with ~2% relative error: log-spaced buckets from `min` to
// `max`. Recording is O(1) and allocation-free, so it can sit on the delivery hot path. Pure.

export interface HistogramSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export class LogHistogram {
  readonly #min: number;
  readonly #logBase: number;
  readonly #counts: Float64Array;
  #count = 0;
  #sum = 0;
  #max = 0;

  constructor(min = 0.001, max = 600_000, relativeError = 0.02) {
    this.#min = min;
    this.#logBase = Math.log1p(relativeError);
    this.#counts = new Float64Array(Math.ceil(Math.log(max / min) / this.#logBase) + 2);
  }

  record(value: number, times = 1): void {
    if (!(value >= 0)) return; // NaN or negative: ignore rather than poison the stats
    const idx = value <= this.#min ? 0 : Math.min(this.#counts.length - 1, 1 + Math.floor(Math.log(value / this.#min) / this.#logBase));
    this.#counts[idx]! += times;
    this.#count += times;
    this.#sum += value * times;
    if (value > this.#max) this.#max = value;
  }

  get count(): number {
    return this.#count;
  }

  /** Upper edge of the bucket holding quantile q (0..1); 0 when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, i === 0 ? this.#min : this.#min * Math.exp(i * this.#logBase));
    }
    return this.#max;
  }

  summary(): HistogramSummary {
    return {
      count: this.#count,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.#max,
      mean: this.#count ? this.#sum / this.#count : 0,
    };
  }

  /** Adds another histogram of the same shape (for gathering across load-generator processes). */
  merge(counts: ArrayLike<number>, count: number, sum: number, max: number): void {
    if (counts.length !== this.#counts.length) throw new RangeError('histogram shapes differ');
    for (let i = 0; i < counts.length; i++) this.#counts[i]! += counts[i]!;
    this.#count += count;
    this.#sum += sum;
    if (max > this.#max) this.#max = max;
  }

  export(): { counts: number[]; count: number; sum: number; max: number } {
    return { counts: Array.from(this.#counts), count: this.#count, sum: this.#sum, max: this.#max };
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }
}

// Duration distributions. A `Dist` is compiled once into a sampler so the per-call cost is a few
// arithmetic operations. Samplers read only from the generator they are given, which is what keeps
// one lead's talk time independent of everything else in the run (common random numbers).
import type { Dist } from './types.ts';
import type { Mulberry32 } from './prng.ts';

export type Sampler = (rng: Mulberry32) => number;

/**
 * Parameters of the normal underlying a lognormal with the given arithmetic mean and sd:
 * σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2. (Using mean/sd directly as μ/σ is the classic bug:
 * it gives a mean of e^(mean + sd²/2), i.e. astronomically long calls.)
 */
export function lognormalParams(mean: number, sd: number): { mu: number; sigma: number } {
  const sigma2 = Math.log1p((sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/**
 * Standard normal by Box–Muller. It always consumes exactly two uniforms and discards the second
 * variate, so the position in a stream never depends on earlier draws.
 */
export function standardNormal(rng: Mulberry32): number {
  const u1 = rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Compiles a validated distribution (see validate-config.ts) into a sampler. */
export function compileDist(d: Dist): Sampler {
  switch (d.kind) {
    case 'const': {
      const v = d.value;
      return () => v;
    }
    case 'uniform': {
      const { min, max } = d;
      const span = max - min;
      return (rng) => min + span * rng.next();
    }
    case 'lognormal': {
      if (d.sd === 0) {
        const v = d.mean;
        return () => v;
      }
      const { mu, sigma } = lognormalParams(d.mean, d.sd);
      return (rng) => Math.exp(mu + sigma * standardNormal(rng));
    }
    case 'mixture': {
      const total = d.parts.reduce((s, p) => s + p.weight, 0);
      const cumulative: number[] = [];
      let acc = 0;
      for (const p of d.parts) {
        acc += p.weight / total;
        cumulative.push(acc);
      }
      const samplers = d.parts.map((p) => compileDist(p.dist));
      const last = samplers.length - 1;
      return (rng) => {
        const u = rng.next();
        let i = 0;
        while (i < last && u >= (cumulative[i] as number)) i++;
        return (samplers[i] as Sampler)(rng);
      };
    }
  }
}

/** Arithmetic mean of a distribution (for documentation, tests and model-based tuners). */
export function distMean(d: Dist): number {
  switch (d.kind) {
    case 'const':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'lognormal':
      return d.mean;
    case 'mixture': {
      const total = d.parts.reduce((s, p) => s + p.weight, 0);
      return d.parts.reduce((s, p) => s + (p.weight / total) * distMean(p.dist), 0);
    }
  }
}

/** Standard deviation of a distribution (law of total variance for mixtures). */
export function distSd(d: Dist): number {
  switch (d.kind) {
    case 'const':
      return 0;
    case 'uniform':
      return (d.max - d.min) / Math.sqrt(12);
    case 'lognormal':
      return d.sd;
    case 'mixture': {
      const total = d.parts.reduce((s, p) => s + p.weight, 0);
      const mean = distMean(d);
      let second = 0;
      for (const p of d.parts) {
        const m = distMean(p.dist);
        const s = distSd(p.dist);
        second += (p.weight / total) * (s * s + m * m);
      }
      return Math.sqrt(Math.max(0, second - mean * mean));
    }
  }
}

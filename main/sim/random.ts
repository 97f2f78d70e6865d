// Seeded randomness for the simulator. Everything the sandbox invents (ids, names, synthetic
// events) comes from here so one seed reproduces one sandbox. Secrets and tokens do NOT come from
// here: they use node:crypto, because a predictable credential is a real credential leak.
import { Mulberry32 } from './dialer/prng.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Exponential with the given mean (for Poisson arrivals). */
  exp(mean: number): number;
  /** A version-4-shaped UUID built from this stream. */
  uuid(): string;
  /** An independent stream derived from this seed and a label. */
  fork(label: string): Rng;
}

/** mulberry32 (the dialer's generator): tiny, fast and good enough for simulation (not for secrets). Uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  const g = new Mulberry32(seed);
  return () => g.nextUint32() / 4294967296;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    exp(mean) {
      return -Math.log(1 - next()) * mean;
    },
    uuid() {
      const hex: string[] = [];
      for (let i = 0; i < 16; i++) hex.push(Math.floor(next() * 256).toString(16).padStart(2, '0'));
      hex[6] = '4' + (hex[6] as string)[1];
      hex[8] = ((parseInt(hex[8] as string, 16) & 0x3f) | 0x80).toString(16);
      const h = hex.join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    fork(label) {
      return createRng(hashSeed(seed, label));
    },
  };
  return rng;
}

/** Mixes a seed with a label (FNV-1a over the label, then a murmur-style finaliser). */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mulberry32, seedState, splitmix32, streamKey } from '../../../main/sim/dialer/prng.ts';

const N = 200_000;

function draws(rng: Mulberry32, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

/** Pearson chi-square of `xs` over `bins` equal bins of (0, 1). */
function chiSquare(xs: readonly number[], bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) counts[Math.floor(x * bins)]!++;
  const expected = xs.length / bins;
  return counts.reduce((s, c) => s + ((c - expected) ** 2) / expected, 0);
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

// Chi-square critical value for 19 degrees of freedom at p = 0.001.
const CHI2_19_P001 = 43.82;

test('a key always yields the same stream, and different keys different streams', () => {
  assert.deepEqual(draws(new Mulberry32(42), 100), draws(new Mulberry32(42), 100));
  assert.deepEqual(draws(new Mulberry32().reset(42), 100), draws(new Mulberry32(42), 100));
  assert.notDeepEqual(draws(new Mulberry32(42), 100), draws(new Mulberry32(43), 100));
});

test('uniforms lie strictly inside (0, 1) with the right mean, variance and bin counts', () => {
  const xs = draws(new Mulberry32(12345), N);
  assert.ok(xs.every((x) => x > 0 && x < 1));
  const m = xs.reduce((s, x) => s + x, 0) / N;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / N;
  // Standard error of the mean is sqrt(1/12/N) ≈ 0.00065: 0.003 is about 4.6 SE.
  assert.ok(Math.abs(m - 0.5) < 0.003, `mean ${m}`);
  assert.ok(Math.abs(v - 1 / 12) < 0.002, `variance ${v}`);
  assert.ok(chiSquare(xs, 20) < CHI2_19_P001, `chi2 ${chiSquare(xs, 20)}`);
});

test('successive draws are uncorrelated', () => {
  const xs = draws(new Mulberry32(777), N + 1);
  const r = correlation(xs.slice(0, N), xs.slice(1));
  // SE of r is about 1/sqrt(N) ≈ 0.0022.
  assert.ok(Math.abs(r) < 0.01, `lag-1 correlation ${r}`);
});

test('streams keyed by consecutive lead indices are independent of each other and across purposes', () => {
  const state = seedState(1);
  const rng = new Mulberry32();
  const n = 100_000;
  const outcome = Array.from({ length: n }, (_, i) => rng.reset(streamKey(state, i, 0)).next());
  const talk = Array.from({ length: n }, (_, i) => rng.reset(streamKey(state, i, 2)).next());
  assert.ok(chiSquare(outcome, 20) < CHI2_19_P001, `chi2 over leads ${chiSquare(outcome, 20)}`);
  assert.ok(Math.abs(correlation(outcome.slice(0, n - 1), outcome.slice(1))) < 0.012, 'neighbouring leads correlate');
  assert.ok(Math.abs(correlation(outcome, talk)) < 0.012, 'purposes of one lead correlate');
});

test('seeds differing only in their high 32 bits still differ', () => {
  assert.notEqual(seedState(5), seedState(5 + 2 ** 32));
  assert.notEqual(seedState(1), seedState(2));
  assert.equal(seedState(9), seedState(9));
});

test('splitmix32 maps distinct inputs to distinct outputs (no collisions on a large range)', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 200_000; i++) seen.add(splitmix32(i));
  assert.equal(seen.size, 200_000);
  assert.ok([...seen].slice(0, 1000).every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
});

test('split() gives a generator independent of its parent', () => {
  const parent = new Mulberry32(99);
  const child = parent.split(1);
  const a = draws(parent, 50_000);
  const b = draws(child, 50_000);
  assert.ok(Math.abs(correlation(a, b)) < 0.015);
  assert.deepEqual(draws(new Mulberry32(99).split(1), 10), b.slice(0, 10));
  assert.notDeepEqual(draws(new Mulberry32(99).split(2), 10), b.slice(0, 10));
});

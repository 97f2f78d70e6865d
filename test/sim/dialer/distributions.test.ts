import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDist, distMean, distSd, lognormalParams, standardNormal } from '../../../main/sim/dialer/distributions.ts';
import { Mulberry32 } from '../../../main/sim/dialer/prng.ts';
import { DEFAULT_TALK } from '../../../main/sim/dialer/scenarios.ts';
import type { Dist } from '../../../main/sim/dialer/types.ts';

const N = 200_000;

function sample(d: Dist, n = N, seed = 3): number[] {
  const s = compileDist(d);
  const rng = new Mulberry32(seed);
  return Array.from({ length: n }, () => s(rng));
}

function stats(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, sd: Math.sqrt(v) };
}

function near(actual: number, expected: number, relTol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relTol * Math.abs(expected), `${what}: ${actual} vs ${expected} (±${relTol * 100}%)`);
}

test('lognormalParams inverts the lognormal moment formulas', () => {
  for (const [mean, sd] of [
    [9, 5],
    [180, 120],
    [15, 10],
    [3, 0.1],
  ] as const) {
    const { mu, sigma } = lognormalParams(mean, sd);
    // E[X] = exp(mu + sigma²/2), Var[X] = (exp(sigma²) − 1) exp(2mu + sigma²).
    near(Math.exp(mu + (sigma * sigma) / 2), mean, 1e-12, `mean of (${mean}, ${sd})`);
    near(Math.sqrt((Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma)), sd, 1e-9, `sd of (${mean}, ${sd})`);
  }
});

test('standard normal variates have mean 0, variance 1 and the 95% two-sided quantile', () => {
  const rng = new Mulberry32(11);
  const zs = Array.from({ length: N }, () => standardNormal(rng));
  const { mean, sd } = stats(zs);
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(sd - 1) < 0.01, `sd ${sd}`);
  const inside = zs.filter((z) => Math.abs(z) < 1.959964).length / N;
  assert.ok(Math.abs(inside - 0.95) < 0.003, `P(|z| < 1.96) = ${inside}`);
});

test('lognormal samples match the requested mean and sd', () => {
  for (const [mean, sd, tolSd] of [
    [9, 5, 0.03],
    [15, 10, 0.04],
    [180, 120, 0.05],
  ] as const) {
    const s = stats(sample({ kind: 'lognormal', mean, sd }));
    near(s.mean, mean, 0.01, `lognormal(${mean}, ${sd}) mean`);
    near(s.sd, sd, tolSd, `lognormal(${mean}, ${sd}) sd`);
  }
  // sd 0 degenerates to the constant instead of NaN.
  assert.deepEqual(sample({ kind: 'lognormal', mean: 7, sd: 0 }, 3), [7, 7, 7]);
});

test('uniform and const samples stay in range with the right moments', () => {
  const xs = sample({ kind: 'uniform', min: 2, max: 6 });
  assert.ok(xs.every((x) => x >= 2 && x <= 6));
  const s = stats(xs);
  near(s.mean, 4, 0.005, 'uniform mean');
  near(s.sd, 4 / Math.sqrt(12), 0.01, 'uniform sd');
  assert.deepEqual(sample({ kind: 'const', value: 3.5 }, 4), [3.5, 3.5, 3.5, 3.5]);
});

test('the default talk mixture has mean about 132 s and picks parts by weight', () => {
  near(distMean(DEFAULT_TALK), 0.3 * 20 + 0.7 * 180, 1e-12, 'analytic mixture mean');
  const xs = sample(DEFAULT_TALK);
  const s = stats(xs);
  near(s.mean, 132, 0.015, 'mixture sample mean');
  near(s.sd, distSd(DEFAULT_TALK), 0.05, 'mixture sample sd');
  // Two parts far apart: the share of short calls (< 50 s) is dominated by the 30% quick part.
  const parts: Dist = { kind: 'mixture', parts: [{ weight: 1, dist: { kind: 'const', value: 1 } }, { weight: 3, dist: { kind: 'const', value: 9 } }] };
  const share = sample(parts).filter((x) => x === 1).length / N;
  assert.ok(Math.abs(share - 0.25) < 0.005, `weight-1 share ${share}`);
});

test('a mixture with a zero-weight part never samples it', () => {
  const d: Dist = { kind: 'mixture', parts: [{ weight: 0, dist: { kind: 'const', value: 1 } }, { weight: 2, dist: { kind: 'const', value: 2 } }] };
  assert.ok(sample(d, 10_000).every((x) => x === 2));
});

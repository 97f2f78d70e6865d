import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/relay/backoff.ts';
import { RecentIds } from '../../main/relay/correlation-dedup.ts';
import { LogHistogram } from '../../main/relay/histogram.ts';

test('backoff grows, is jittered between half and full ceiling, and is capped', () => {
  const o = { baseMs: 100, maxMs: 1000, factor: 2 };
  assert.equal(backoffDelay(0, o, () => 0), 50);
  assert.equal(backoffDelay(0, o, () => 1), 100);
  assert.equal(backoffDelay(3, o, () => 1), 800);
  assert.equal(backoffDelay(10, o, () => 1), 1000);
  assert.equal(backoffDelay(10, o, () => 0), 500);
  assert.equal(backoffDelay(1e9, DEFAULT_BACKOFF, () => 0.5), 22_500);
});

test('a Retry-After is a floor that jitter never shortens', () => {
  const o = { baseMs: 100, maxMs: 1000, factor: 2 };
  assert.equal(backoffDelay(0, o, () => 0, 42_000), 42_000);
  assert.equal(backoffDelay(5, o, () => 1, 10), 1000);
});

test('recent ids: duplicates are caught, memory is bounded', () => {
  const r = new RecentIds(100);
  assert.equal(r.add('a'), true);
  assert.equal(r.add('a'), false);
  for (let i = 0; i < 1000; i++) r.add(`x${i}`);
  assert.ok(r.size <= 100);
  // The newest half is always remembered.
  assert.equal(r.add('x999'), false);
  assert.equal(r.add('x950'), false);
});

test('histogram quantiles are within 2% and never above the max', () => {
  const h = new LogHistogram();
  for (let i = 1; i <= 1000; i++) h.record(i);
  const s = h.summary();
  assert.equal(s.count, 1000);
  assert.ok(Math.abs(s.p50 - 500) / 500 < 0.03, String(s.p50));
  assert.ok(Math.abs(s.p99 - 990) / 990 < 0.03, String(s.p99));
  assert.equal(s.max, 1000);
  assert.ok(s.p999 <= 1000);
  h.record(Number.NaN);
  h.record(-1);
  assert.equal(h.count, 1000, 'bad values are ignored');
});

test('histograms merge across processes', () => {
  const a = new LogHistogram();
  const b = new LogHistogram();
  for (let i = 0; i < 100; i++) a.record(1);
  for (let i = 0; i < 100; i++) b.record(100);
  const e = b.export();
  a.merge(e.counts, e.count, e.sum, e.max);
  assert.equal(a.count, 200);
  assert.ok(a.quantile(0.99) > 95);
  assert.ok(a.quantile(0.25) < 1.05);
  a.reset();
  assert.equal(a.summary().p99, 0);
});

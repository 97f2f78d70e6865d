// The benchmark's workload, identical for every target: which topics each session holds (10 of
// 2,000, Zipf(1.0) popularity as in the pilot, notes/wsrelay.md §6) and the event schedule.
// Deterministic from a seed so load generators and the parent agree without shipping lists.
import { mulberry32 } from '../../main/sim/random.ts';

export const TOPIC_COUNT = 2000;
export const TOPICS_PER_SESSION = 10;

/** Sandbox-valid topic names (the simulator wants UUIDs, like the platform). */
export function topicName(i: number): string {
  return `v2.users.00000000-0000-4000-8000-${i.toString().padStart(12, '0')}.presence`;
}

/** mulberry32: small, fast, good enough for load shapes. */
export const rng: (seed: number) => () => number = mulberry32;

/** Cumulative Zipf(s) weights over n ranks. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 1; r <= n; r++) {
    sum += 1 / r ** s;
    cdf[r - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  return cdf;
}

const CDF = zipfCdf(TOPIC_COUNT, 1);

function sampleRank(u: number): number {
  let lo = 0;
  let hi = TOPIC_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CDF[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Topic indices of session `i`. Popular ranks are scattered over the index space (a fixed
 * permutation) so hot topics are not neighbours in the emitter's round-robin.
 */
export function sessionTopics(seed: number, i: number): number[] {
  const r = rng(seed * 1_000_003 + i);
  const out = new Set<number>();
  while (out.size < TOPICS_PER_SESSION) out.add((sampleRank(r()) * 7919) % TOPIC_COUNT);
  return [...out];
}

/** Subscribers per topic for sessions 0..n-1. */
export function topicWidths(seed: number, n: number): Uint32Array {
  const w = new Uint32Array(TOPIC_COUNT);
  for (let i = 0; i < n; i++) for (const t of sessionTopics(seed, i)) w[t]!++;
  return w;
}

/** Topic of the k-th scheduled event: round-robin with a stride coprime to TOPIC_COUNT. */
export function eventTopic(k: number): number {
  return (k * 7) % TOPIC_COUNT;
}

/** Width classes the report uses. */
export type WidthClass = 'narrow' | 'mid' | 'wide' | 'huge';
export function widthClass(width: number): WidthClass {
  if (width <= 100) return 'narrow';
  if (width < 800) return 'mid';
  if (width <= 1600) return 'wide';
  return 'huge';
}

/** The wide fan-out goal's band: ±10% around 1,000 subscribers (main/relay/fanout.ts measures the same). */
export function nearThousand(width: number): boolean {
  return width >= 900 && width <= 1100;
}

/** Monotonic milliseconds, comparable across processes on one host (CLOCK_MONOTONIC). */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

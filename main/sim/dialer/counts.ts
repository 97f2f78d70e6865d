// Helpers over `Counts`. Field lists are spelled out once here so every sum, difference and bucket
// covers the same fields; adding a counter to `Counts` without listing it fails the typecheck.
import type { Counts } from './types.ts';

/** Counters incremented by call events, in the order the ledger stores them. */
export const EVENT_FIELDS = [
  'dials',
  'live',
  'connected',
  'abandoned',
  'machines',
  'noAnswer',
  'fails',
  'amdFalsePositives',
] as const satisfies ReadonlyArray<keyof Counts>;

/** Agent-second fields integrated over time (staffedSec is derived: ready + talk + wrap). */
export const SECONDS_FIELDS = ['readySec', 'talkSec', 'wrapSec', 'pausedSec'] as const satisfies ReadonlyArray<keyof Counts>;

export const COUNT_FIELDS = [...EVENT_FIELDS, ...SECONDS_FIELDS, 'staffedSec'] as const;

type AllListed = Exclude<keyof Counts, (typeof COUNT_FIELDS)[number]>;
// Compile-time check: every Counts field is listed above.
const _allListed: AllListed extends never ? true : false = true;
void _allListed;

export function zeroCounts(): Counts {
  return {
    dials: 0,
    live: 0,
    connected: 0,
    abandoned: 0,
    machines: 0,
    noAnswer: 0,
    fails: 0,
    amdFalsePositives: 0,
    talkSec: 0,
    wrapSec: 0,
    readySec: 0,
    pausedSec: 0,
    staffedSec: 0,
  };
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out = zeroCounts();
  for (const f of COUNT_FIELDS) out[f] = a[f] + b[f];
  return out;
}

export function subtractCounts(a: Counts, b: Counts): Counts {
  const out = zeroCounts();
  for (const f of COUNT_FIELDS) out[f] = a[f] - b[f];
  return out;
}

/** Sum of `buckets[from .. to)` (indices are clamped to the array). */
export function sumCounts(buckets: readonly Counts[], from = 0, to = buckets.length): Counts {
  const out = zeroCounts();
  const end = Math.min(to, buckets.length);
  for (let i = Math.max(0, from); i < end; i++) {
    const b = buckets[i] as Counts;
    for (const f of COUNT_FIELDS) out[f] += b[f];
  }
  return out;
}

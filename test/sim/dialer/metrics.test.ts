import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroCounts } from '../../../main/sim/dialer/counts.ts';
import {
  abandonPct,
  connectsPerAgentHour,
  cumulativeAbandonPct,
  occupancyPct,
  summarize,
  talkMinPerAgentHour,
  ukAcrPct,
  worst30MinAbandonPct,
  worstWindowAbandon,
} from '../../../main/sim/dialer/metrics.ts';
import type { Counts } from '../../../main/sim/dialer/types.ts';

function c(fields: Partial<Counts>): Counts {
  return { ...zeroCounts(), ...fields };
}

test('abandon % is abandoned live answers over all live answers', () => {
  assert.equal(abandonPct(c({ live: 200, abandoned: 6, machines: 500, noAnswer: 900 })), 3);
  assert.equal(abandonPct(c({ live: 0, abandoned: 0 })), 0);
});

test('UK ACR adds AMD false positives to both abandons and live answers', () => {
  assert.equal(ukAcrPct(c({ live: 97, abandoned: 1, amdFalsePositives: 3 })), 4);
  assert.equal(ukAcrPct(zeroCounts()), 0);
});

test('occupancy, talk minutes and connects are per staffed (logged-in, non-paused) time', () => {
  const x = c({ talkSec: 1800, wrapSec: 600, readySec: 600, staffedSec: 3000, pausedSec: 5000, connected: 20 });
  assert.equal(occupancyPct(x), 80);
  assert.equal(talkMinPerAgentHour(c({ talkSec: 2400, staffedSec: 3600 })), 40);
  assert.equal(connectsPerAgentHour(c({ connected: 20, staffedSec: 7200 })), 10);
  assert.equal(occupancyPct(zeroCounts()), 0);
  assert.equal(connectsPerAgentHour(zeroCounts()), 0);
});

test('cumulative abandon % sums counts rather than averaging minute ratios', () => {
  const buckets = [c({ live: 10, abandoned: 5 }), c({ live: 990, abandoned: 5 })];
  // Averaging the two minutes would give 25.25%.
  assert.equal(cumulativeAbandonPct(buckets), 1);
});

test('worst 30-minute window finds the densest abandon cluster among windows with enough answers', () => {
  // 90 minutes, one live answer a minute; abandons at minutes 40 and 41.
  const buckets = Array.from({ length: 90 }, (_, m) => c({ live: 1, abandoned: m === 40 || m === 41 ? 1 : 0 }));
  const w = worstWindowAbandon(buckets, 30, 30);
  assert.ok(w);
  assert.equal(w.startMinute, 12); // the first window holding both: minutes 12..41
  assert.equal(w.abandoned, 2);
  assert.equal(w.live, 30);
  assert.ok(Math.abs(w.pct - 200 / 30) < 1e-12);
  assert.equal(worst30MinAbandonPct(buckets), w.pct);
});

test('windows with too few live answers do not count', () => {
  // A quiet hour with one answer that is abandoned, then a busy hour at 1%.
  const quiet = Array.from({ length: 60 }, (_, m) => c({ live: m === 10 ? 1 : 0, abandoned: m === 10 ? 1 : 0 }));
  const busy = Array.from({ length: 60 }, (_, m) => c({ live: 10, abandoned: m % 10 === 5 ? 1 : 0 }));
  const pct = worst30MinAbandonPct([...quiet, ...busy]);
  // Without the ≥ 30-answer rule, the quiet window's single abandon would read as 100%.
  assert.ok(pct !== null && pct < 2, `worst ${pct}`);
  assert.equal(worstWindowAbandon([...quiet, ...busy], 30, 1)?.pct, 100);
  assert.equal(worst30MinAbandonPct(quiet), null);
  assert.equal(worst30MinAbandonPct(busy.slice(0, 29)), null, 'shorter than one window');
});

test('worst window matches a brute-force scan on irregular data', () => {
  let s = 7;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const buckets = Array.from({ length: 200 }, () => {
    const live = Math.floor(next() * 5);
    return c({ live, abandoned: Math.floor(next() * (live + 1) * 0.3) });
  });
  let best = -1;
  for (let i = 0; i + 30 <= buckets.length; i++) {
    const w = buckets.slice(i, i + 30);
    const live = w.reduce((a, b) => a + b.live, 0);
    const ab = w.reduce((a, b) => a + b.abandoned, 0);
    if (live >= 30) best = Math.max(best, (100 * ab) / live);
  }
  assert.ok(best >= 0);
  assert.ok(Math.abs(worst30MinAbandonPct(buckets)! - best) < 1e-12);
  assert.throws(() => worstWindowAbandon(buckets, 0), RangeError);
});

test('summarize reports every metric from the summed buckets', () => {
  const buckets = [
    c({ live: 100, abandoned: 2, connected: 98, talkSec: 3000, wrapSec: 600, readySec: 1200, staffedSec: 4800 }),
    c({ live: 100, abandoned: 4, connected: 96, talkSec: 3000, wrapSec: 600, readySec: 1200, staffedSec: 4800 }),
  ];
  const s = summarize(buckets);
  assert.equal(s.minutes, 2);
  assert.equal(s.total.live, 200);
  assert.equal(s.abandonPct, 3);
  assert.equal(s.occupancyPct, 75);
  assert.equal(s.talkMinPerAgentHour, 100 / (9600 / 3600));
  assert.equal(s.connectsPerAgentHour, 194 / (9600 / 3600));
  assert.equal(s.worst30MinAbandonPct, null);
});

// Does the model behave like the prototype of notes/dialer.md §5.2? Tolerances are set from the
// per-run noise (about ±0.3 pp abandon at 20 agents) plus the known differences between the two
// models (this one applies the ring timeout to machines and uses common random numbers), not from
// this model's own outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFixed } from '../../../main/sim/dialer/runner.ts';
import { scenario } from '../../../main/sim/dialer/scenarios.ts';
import type { PacingSemantics, ScenarioName } from '../../../main/sim/dialer/types.ts';
import type { RunSummary } from '../../../main/sim/dialer/metrics.ts';
import { mean } from './fixtures.ts';

const SEEDS = [1, 2, 3, 4];

function runs(ratio: number, semantics: PacingSemantics = 'perAvailableAgent', name: ScenarioName = 'steady', seeds = SEEDS): RunSummary[] {
  return seeds.map((seed) => runFixed(scenario(name, { seed, pacing: { semantics } }), ratio).summary);
}

test('progressive dialing (ratio 1) never abandons and keeps agents about 60% busy', () => {
  for (const semantics of ['perAvailableAgent', 'perStaffedAgent'] as const) {
    const rs = runs(1, semantics);
    assert.ok(rs.every((r) => r.total.abandoned === 0), `${semantics}: abandons under progressive`);
    const occ = mean(rs.map((r) => r.occupancyPct));
    const talk = mean(rs.map((r) => r.talkMinPerAgentHour));
    // §5.2: 0.0% / 60.4% occupancy, about 32.5 talk-min per agent-hour.
    assert.ok(occ > 55 && occ < 66, `${semantics}: occupancy ${occ}`);
    assert.ok(talk > 29 && talk < 36, `${semantics}: talk-min/h ${talk}`);
  }
});

test('a higher fixed ratio gives more abandons and higher occupancy (mean over seeds)', () => {
  const points = [3, 4, 5].map((r) => {
    const rs = runs(r);
    return { r, abandon: mean(rs.map((x) => x.abandonPct)), occ: mean(rs.map((x) => x.occupancyPct)) };
  });
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    assert.ok(b.abandon > a.abandon, `abandon ${a.r}→${b.r}: ${a.abandon} → ${b.abandon}`);
    assert.ok(b.occ > a.occ, `occupancy ${a.r}→${b.r}: ${a.occ} → ${b.occ}`);
  }
  // Convexity (§5.1): the step 4→5 costs more abandon than 3→4.
  assert.ok(points[2]!.abandon - points[1]!.abandon > points[1]!.abandon - points[0]!.abandon);
});

test('per-available r = 4 on steady lands near the §5.2 frontier (2.8% abandon, 87% occupancy)', () => {
  const rs = runs(4);
  const abandon = mean(rs.map((r) => r.abandonPct));
  const occ = mean(rs.map((r) => r.occupancyPct));
  const talk = mean(rs.map((r) => r.talkMinPerAgentHour));
  assert.ok(abandon > 2.0 && abandon < 3.6, `mean abandon ${abandon}`);
  assert.ok(rs.every((r) => r.abandonPct > 1.2 && r.abandonPct < 4.5), `per-seed abandon ${rs.map((r) => r.abandonPct)}`);
  assert.ok(occ > 84.5 && occ < 90, `occupancy ${occ}`);
  // §2: best predictive at about 3% gives 43–47 talk-min per agent-hour.
  assert.ok(talk > 42 && talk < 50, `talk-min/h ${talk}`);
  const worst30 = rs.map((r) => r.worst30MinAbandonPct ?? 0);
  assert.ok(worst30.every((w, i) => w >= rs[i]!.abandonPct), 'a worst window is never below the day');
});

test('per-staffed r = 1.36 lands near the §5.2 figures (2.45% abandon, 78.9% occupancy)', () => {
  const rs = runs(1.36, 'perStaffedAgent');
  const abandon = mean(rs.map((r) => r.abandonPct));
  const occ = mean(rs.map((r) => r.occupancyPct));
  assert.ok(abandon > 1.5 && abandon < 4, `mean abandon ${abandon}`);
  assert.ok(occ > 75.5 && occ < 82, `occupancy ${occ}`);
});

test('pooling: 100 agents run busier at fewer abandons than 20 agents', () => {
  const small = runs(4, 'perAvailableAgent', 'steady', [1, 2]);
  const large = runs(5, 'perAvailableAgent', 'largeTeam', [1, 2]);
  assert.ok(mean(large.map((r) => r.occupancyPct)) > mean(small.map((r) => r.occupancyPct)));
  assert.ok(mean(large.map((r) => r.abandonPct)) < mean(small.map((r) => r.abandonPct)));
});

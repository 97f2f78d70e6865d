// Aggregates evaluation results into the table and the goals checklist (issue #4, notes/dialer.md
// §5.3). Pure: results in, markdown and pass/fail out. Pass/fail is judged on the worst seed where
// the goal says "every"; nothing here is tuned to a particular seed set.
import type { ScenarioName } from '../../sim/dialer/index.ts';
import type { RunMetrics } from './evaluate-run.ts';
import { CONTROLLER_TITLES, EVAL_CONTROLLERS, type EvalControllerLabel, type EvalJobResult } from './job.ts';

/** Scenarios with the base 20-agent team, to which the efficiency and stability goals apply. */
export const TWENTY_AGENT_SCENARIOS: readonly ScenarioName[] = ['steady', 'lunchDip', 'shiftChange', 'burst', 'freshList', 'answerJump'];

export interface CellStats {
  runs: number;
  abandonMean: number;
  abandonWorst: number;
  worst30: number;
  worst30AfterJump: number | undefined;
  occupancyMean: number;
  talkMinMean: number;
  clampMean: number;
  meanRatio: number;
  /** Runs whose worst 30-min window exceeded 8 %, and (answerJump) whose post-jump window exceeded 10 %. */
  worst30Over8: number;
  afterJumpOver10: number;
}

export type Aggregate = Map<ScenarioName, Record<EvalControllerLabel, CellStats>>;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function cell(ms: RunMetrics[]): CellStats {
  const after = ms.map((m) => m.worst30AfterJumpPct).filter((x): x is number => x !== undefined);
  return {
    runs: ms.length,
    abandonMean: mean(ms.map((m) => m.abandonPct)),
    abandonWorst: Math.max(...ms.map((m) => m.abandonPct)),
    worst30: Math.max(...ms.map((m) => m.worst30Pct)),
    worst30AfterJump: after.length ? Math.max(...after) : undefined,
    occupancyMean: mean(ms.map((m) => m.occupancyPct)),
    talkMinMean: mean(ms.map((m) => m.talkMinPerAgentHour)),
    clampMean: mean(ms.map((m) => m.clampPct)),
    meanRatio: mean(ms.map((m) => m.meanRatio)),
    worst30Over8: ms.filter((m) => m.worst30Pct > 8).length,
    afterJumpOver10: after.filter((x) => x > 10).length,
  };
}

export function aggregate(results: readonly EvalJobResult[]): Aggregate {
  const by = new Map<ScenarioName, EvalJobResult[]>();
  for (const r of results) by.set(r.scenario, [...(by.get(r.scenario) ?? []), r]);
  const out: Aggregate = new Map();
  for (const [scenario, rs] of by) {
    const row = {} as Record<EvalControllerLabel, CellStats>;
    for (const c of EVAL_CONTROLLERS) row[c] = cell(rs.map((r) => r.metrics[c]));
    out.set(scenario, row);
  }
  return out;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

export function markdownTable(agg: Aggregate): string {
  const lines = [
    '| Scenario | Controller | Abandon % mean | Abandon % worst seed | Worst 30-min % | Occupancy % | Talk min / agent-h | % time at clamp | Mean value |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [scenario, row] of agg) {
    for (const c of EVAL_CONTROLLERS) {
      const s = row[c];
      lines.push(
        `| ${scenario} | ${CONTROLLER_TITLES[c]} | ${f2(s.abandonMean)} | ${f2(s.abandonWorst)} | ${f1(s.worst30)} | ${f1(s.occupancyMean)} | ${f1(s.talkMinMean)} | ${f1(s.clampMean)} | ${f2(s.meanRatio)} |`,
      );
    }
  }
  return lines.join('\n');
}

export interface Goal {
  name: string;
  pass: boolean;
  detail: string;
}

export function goals(agg: Aggregate): Goal[] {
  const ours = (s: ScenarioName) => agg.get(s)?.['compliance-pi'];
  const twenty = TWENTY_AGENT_SCENARIOS.filter((s) => agg.has(s));
  const all = [...agg.keys()];
  const out: Goal[] = [];

  const worstAb = all.map((s) => [s, ours(s)!.abandonWorst] as const).sort((a, b) => b[1] - a[1]);
  out.push({
    name: 'Cumulative abandon ≤ 3.0% on every seed and scenario',
    pass: worstAb.every(([, v]) => v <= 3.0),
    detail: `worst ${f2(worstAb[0]![1])}% (${worstAb[0]![0]})`,
  });

  const runs20 = twenty.map((s) => ours(s)!);
  const mean20 = runs20.reduce((a, c) => a + c.abandonMean * c.runs, 0) / Math.max(1, runs20.reduce((a, c) => a + c.runs, 0));
  out.push({
    name: 'Mean abandon near 2.5% (2.3–2.7%, 20-agent scenarios)',
    pass: mean20 >= 2.3 && mean20 <= 2.7,
    detail: `${mean20.toFixed(3)}% (per scenario ${twenty.map((s) => f2(ours(s)!.abandonMean)).join(' / ')})`,
  });

  const rel = twenty.map((s) => [s, (100 * ours(s)!.occupancyMean) / agg.get(s)!['best-fixed-ratio'].occupancyMean] as const);
  const relMin = [...rel].sort((a, b) => a[1] - b[1])[0];
  out.push({
    name: 'Occupancy ≥ 95% of the best fixed ratio (each 20-agent scenario)',
    pass: rel.every(([, v]) => v >= 95),
    detail: relMin ? `lowest ${f1(relMin[1])}% (${relMin[0]}); ${rel.map(([s, v]) => `${s} ${f1(v)}`).join(', ')}` : 'n/a',
  });

  const gain = twenty.map((s) => [s, ours(s)!.occupancyMean - agg.get(s)!['vicidial-adaptive'].occupancyMean] as const);
  const gainMin = [...gain].sort((a, b) => a[1] - b[1])[0];
  out.push({
    name: 'Occupancy ≥ 10 pp above the VICIdial-style replica (each 20-agent scenario)',
    pass: gain.every(([, v]) => v >= 10),
    detail: gainMin ? `smallest +${f1(gainMin[1])} pp (${gainMin[0]})` : 'n/a',
  });

  const w30 = twenty.map((s) => [s, ours(s)!.worst30] as const);
  const w30Max = [...w30].sort((a, b) => b[1] - a[1])[0];
  const over = twenty.reduce((a, s) => a + ours(s)!.worst30Over8, 0);
  const runs = twenty.reduce((a, s) => a + ours(s)!.runs, 0);
  const oracleOver = twenty.reduce((a, s) => a + agg.get(s)!['best-fixed-ratio'].worst30Over8, 0);
  out.push({
    name: 'Worst 30-min window ≤ 8% (every seed, 20-agent scenarios)',
    pass: w30.every(([, v]) => v <= 8),
    detail: w30Max
      ? `worst ${f1(w30Max[1])}% (${w30Max[0]}); ${over} of ${runs} runs over 8% (best fixed ratio: ${oracleOver}); ${w30.map(([s, v]) => `${s} ${f1(v)}`).join(', ')}`
      : 'n/a',
  });

  const jump = ours('answerJump');
  out.push({
    name: 'Answer rate +60%: no 30-min window above 10% from the jump on (every seed)',
    pass: jump?.worst30AfterJump !== undefined && jump.worst30AfterJump <= 10,
    detail: jump?.worst30AfterJump !== undefined
      ? `worst ${f1(jump.worst30AfterJump)}%, ${jump.afterJumpOver10} of ${jump.runs} runs over 10% (best fixed ratio: ${agg.get('answerJump')!['best-fixed-ratio'].afterJumpOver10})`
      : 'answerJump not run',
  });
  return out;
}

export function goalsChecklist(gs: readonly Goal[]): string {
  return gs.map((g) => `- [${g.pass ? 'x' : ' '}] **${g.pass ? 'PASS' : 'FAIL'}** ${g.name}: ${g.detail}`).join('\n');
}

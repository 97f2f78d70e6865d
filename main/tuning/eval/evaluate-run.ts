// One evaluation run: a controller drives the dialer model for a simulated day through the same
// signal tracker and guards the production loop uses, and the run is scored with the model's own
// metrics (notes/dialer.md §4.4). No HTTP: the evaluation measures control quality, not plumbing.
import {
  ANSWER_JUMP_AT_SEC,
  DAY_SEC,
  runFixed,
  runWithTuner,
  scenario,
  type Counts,
  type RatioPoint,
  type RunResult,
  type ScenarioName,
} from '../../sim/dialer/index.ts';
import { LOOP_DEFAULTS } from '../campaign-config.ts';
import type { Bounds, Controller, ControllerSignals } from '../controller.ts';
import { createComplianceController, type ComplianceOptions } from '../compliance-controller.ts';
import { createFixedRatio } from '../fixed-ratio.ts';
import { applyGuards } from '../guards.ts';
import { createSeedLaw } from '../seed-law.ts';
import { SignalTracker } from '../signal-tracker.ts';
import { createVicidialAdaptive } from '../vicidial-adaptive.ts';

export type ControllerSpec =
  | { kind: 'seed-law'; targetAnswerRate: number }
  | { kind: 'compliance-pi'; options?: Partial<ComplianceOptions> }
  | { kind: 'vicidial-adaptive' }
  | { kind: 'fixed-ratio'; value: number };

export interface EvalConfig {
  bounds: Bounds;
  /** Pacekeeper's cycle (s); the VICIdial replica keeps its own 15 s. */
  intervalSec: number;
  /** Pacing value at the start of the day (1.0 = progressive, the safe cold start). */
  initial: number;
  windowMinutes: number;
  halfLifeMinutes: number;
  /** The loop's step-limit guard, applied to Pacekeeper's controller only (baselines run as designed). */
  stepLimit: number;
  /** The loop's limit for a controller-flagged emergency cut (LOOP_DEFAULTS.emergencyCut). */
  emergencyCut: number;
  durationSec: number;
}

export const DEFAULT_EVAL_CONFIG: Readonly<EvalConfig> = Object.freeze({
  bounds: Object.freeze({ min: 1, max: 10 }),
  intervalSec: 30,
  initial: 1,
  windowMinutes: 30,
  halfLifeMinutes: 10,
  stepLimit: LOOP_DEFAULTS.stepLimit,
  emergencyCut: LOOP_DEFAULTS.emergencyCut,
  durationSec: DAY_SEC,
});

export interface RunMetrics {
  abandonPct: number;
  /** Worst rolling 30-min abandon % (≥ 30 live answers), 0 when no window qualifies. */
  worst30Pct: number;
  /** Worst rolling 30-min window that starts at or after the answer jump (answerJump only). */
  worst30AfterJumpPct: number | undefined;
  occupancyPct: number;
  talkMinPerAgentHour: number;
  /** Share of the day the value sat at a clamp, percent. */
  clampPct: number;
  meanRatio: number;
  /** Largest single relative change, percent (an emergency cut may exceed the step limit)… */
  maxStepPct: number;
  /** …the largest rise, percent, may not. */
  maxRisePct: number;
}

const VICIDIAL_UPDATE_SEC = 15;

export function buildController(spec: ControllerSpec): Controller<unknown> {
  switch (spec.kind) {
    case 'seed-law':
      return createSeedLaw({ targetAnswerRate: spec.targetAnswerRate }) as Controller<unknown>;
    case 'compliance-pi':
      return createComplianceController(spec.options) as Controller<unknown>;
    case 'vicidial-adaptive':
      return createVicidialAdaptive() as Controller<unknown>;
    case 'fixed-ratio':
      return createFixedRatio(spec.value) as Controller<unknown>;
  }
}

function sampleOf(c: Counts) {
  return { live: c.live, abandoned: c.abandoned, attempts: c.dials, connects: c.live };
}

/** Runs one scenario/seed with one controller and scores it. */
export function evaluateRun(name: ScenarioName, seed: number, spec: ControllerSpec, cfg: EvalConfig = DEFAULT_EVAL_CONFIG): RunMetrics {
  const config = scenario(name, { seed, pacing: { initial: cfg.initial } });
  if (spec.kind === 'fixed-ratio') {
    return score(runFixed(config, spec.value, { durationSec: cfg.durationSec }), name, cfg.bounds);
  }
  const controller = buildController(spec);
  const ours = spec.kind === 'compliance-pi';
  const vici = spec.kind === 'vicidial-adaptive';
  // The replica samples agents every second and updates every 15 s, as AST_VDadapt does.
  const every = vici ? 1 : cfg.intervalSec;
  const updateEvery = vici ? VICIDIAL_UPDATE_SEC : cfg.intervalSec;
  const tracker = new SignalTracker({ intervalSec: updateEvery, windowMinutes: cfg.windowMinutes, halfLifeMinutes: cfg.halfLifeMinutes });
  let state = controller.init(cfg.initial, 0);
  let current = cfg.initial;
  let lastUpdate = 0;
  const agentSum = { ready: 0, staffed: 0, waiting: 0, n: 0 };

  const result = runWithTuner(
    config,
    every,
    (obs) => {
      if (vici) {
        const a = obs.snapshot.agents;
        agentSum.ready += a.ready;
        agentSum.staffed += a.ready + a.talking + a.wrapping;
        agentSum.waiting += obs.snapshot.queued;
        agentSum.n++;
      }
      if (obs.tSec - lastUpdate < updateEvery - 1e-9 && obs.tSec < cfg.durationSec) return undefined;
      const dtSec = obs.tSec - lastUpdate;
      tracker.observe(sampleOf(obs.counts(lastUpdate, obs.tSec)), dtSec);
      lastUpdate = obs.tSec;
      const extra: Pick<ControllerSignals, 'agents' | 'daySec'> = { daySec: obs.tSec };
      if (vici && agentSum.n > 0) {
        extra.agents = { ready: agentSum.ready / agentSum.n, staffed: agentSum.staffed / agentSum.n, waiting: agentSum.waiting / agentSum.n };
        agentSum.ready = agentSum.staffed = agentSum.waiting = agentSum.n = 0;
      }
      const d = controller.step(state, { nowMs: obs.tSec * 1000, dtSec, current, bounds: cfg.bounds, signals: tracker.signals(extra) });
      state = d.state;
      const g = applyGuards({
        proposed: d.value,
        current,
        bounds: cfg.bounds,
        stepLimit: ours ? cfg.stepLimit : undefined,
        emergencyCut: ours && d.emergency ? cfg.emergencyCut : undefined,
        minDelta: 0.01,
        mode: 'auto',
        dialingMode: 'predictive',
      });
      if (g.action === 'write') current = g.value;
      return current;
    },
    { durationSec: cfg.durationSec },
  );
  return score(result, name, cfg.bounds);
}

function score(r: RunResult, name: ScenarioName, bounds: Bounds): RunMetrics {
  const s = r.summary;
  let after: number | undefined;
  if (name === 'answerJump') {
    const from = Math.floor(ANSWER_JUMP_AT_SEC / 60);
    after = worstFrom(r.buckets, from);
  }
  return {
    abandonPct: s.abandonPct,
    worst30Pct: s.worst30MinAbandonPct ?? 0,
    worst30AfterJumpPct: after,
    occupancyPct: s.occupancyPct,
    talkMinPerAgentHour: s.talkMinPerAgentHour,
    ...ratioStats(r.ratios, r.durationSec, bounds),
  };
}

/** Worst 30-min window (≥ 30 live answers) among windows that end after minute `from`. */
function worstFrom(buckets: readonly Counts[], from: number): number {
  let worst = 0;
  for (let start = Math.max(0, from - 29); start + 30 <= buckets.length; start++) {
    let live = 0;
    let ab = 0;
    for (let i = start; i < start + 30; i++) {
      live += buckets[i]!.live;
      ab += buckets[i]!.abandoned;
    }
    if (live >= 30) worst = Math.max(worst, (100 * ab) / live);
  }
  return worst;
}

/** Time-weighted statistics of the pacing value over the run. */
export function ratioStats(ratios: readonly RatioPoint[], durationSec: number, bounds: Bounds): Pick<RunMetrics, 'clampPct' | 'meanRatio' | 'maxStepPct' | 'maxRisePct'> {
  let atClamp = 0;
  let weighted = 0;
  let maxStep = 0;
  let maxRise = 0;
  for (let i = 0; i < ratios.length; i++) {
    const p = ratios[i]!;
    const end = i + 1 < ratios.length ? ratios[i + 1]!.tSec : durationSec;
    const span = Math.max(0, end - p.tSec);
    weighted += p.ratio * span;
    if (p.ratio <= bounds.min + 1e-9 || p.ratio >= bounds.max - 1e-9) atClamp += span;
    if (i > 0) {
      const change = p.ratio / ratios[i - 1]!.ratio - 1;
      maxStep = Math.max(maxStep, Math.abs(change));
      maxRise = Math.max(maxRise, change);
    }
  }
  return {
    clampPct: durationSec > 0 ? (100 * atClamp) / durationSec : 0,
    meanRatio: durationSec > 0 ? weighted / durationSec : ratios[0]?.ratio ?? 0,
    maxStepPct: 100 * maxStep,
    maxRisePct: 100 * maxRise,
  };
}

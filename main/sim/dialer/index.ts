// Public surface of the predictive-dialer model. Consumers (the HTTP simulator, the tuning
// evaluation, benchmarks) import from here; the other files are internals.
//
// HTTP simulator (one model per campaign, driven by virtual time):
//   const m = createDialerModel(scenario('steady', { seed, pacing: { initial: maxCallsPerAgentDecimal } }));
//   m.advanceTo(virtualSec);            // on every request; cheap; earlier times are ignored
//   m.setRatio(v); m.setDialing(on);    // PUT campaign (pacing value = lines per available agent), on/off
//   m.snapshot(); m.counts(from, to);   // campaign stats; analytics aggregates over [from, to)
//   m.onCall(fn); m.onAgentState(fn);   // notification events (return an unsubscribe function)
//
// Tuning evaluation:
//   runWithTuner(scenario(name, { seed }), intervalSec, (obs) => nextValueOrUndefined, { durationSec })
//   runFixed(config, ratio) for baselines and oracle sweeps; summarize / worstWindowAbandon for scores.
export type {
  AgentStateChange,
  CallRecord,
  Counts,
  DialerConfig,
  DialerModel,
  DialerSnapshot,
  Dist,
  PacingSemantics,
  ScenarioName,
  Schedule,
} from './types.ts';
export { createDialerModel, type DialerModelOptions } from './model.ts';
export { DialerConfigError, LIMITS, validateDialerConfig } from './validate-config.ts';
export { ANSWER_JUMP_AT_SEC, DAY_SEC, SCENARIO_NAMES, baseConfig, pulses, scenario, type ScenarioOverrides } from './scenarios.ts';
export {
  abandonPct,
  connectsPerAgentHour,
  cumulativeAbandonPct,
  occupancyPct,
  summarize,
  talkMinPerAgentHour,
  ukAcrPct,
  worst30MinAbandonPct,
  worstWindowAbandon,
  type RunSummary,
  type WindowResult,
} from './metrics.ts';
export { runFixed, runWithTuner, type OnInterval, type RatioPoint, type RunOptions, type RunResult, type TunerObservation } from './runner.ts';
export { addCounts, subtractCounts, sumCounts, zeroCounts } from './counts.ts';
export { distMean, distSd } from './distributions.ts';

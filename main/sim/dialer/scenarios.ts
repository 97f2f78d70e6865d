// Named scenarios of notes/dialer.md §4.3 over the base parameters of §4.2. Each call returns a fresh
// config, so callers may change it freely.
//
// Pacing: `pacing.initial` is the campaign's `maxCallsPerAgentDecimal`, which this model reads as
// LINES PER AVAILABLE (ready) AGENT (`perAvailableAgent`): each tick dials
// round(r·READY) − ringing − queued. It starts at 1.0 (progressive), the safe cold start of §5.4.
import type { DialerConfig, Dist, ScenarioName, Schedule } from './types.ts';

/** Length of the §4 evaluation day (8 h). The model itself runs as long as it is advanced. */
export const DAY_SEC = 8 * 3600;

/** When `answerJump` raises the live-answer rate by 60% (mid-day, after a tuner has settled). */
export const ANSWER_JUMP_AT_SEC = 4 * 3600;

export const SCENARIO_NAMES = [
  'steady',
  'lunchDip',
  'shiftChange',
  'burst',
  'freshList',
  'smallTeam',
  'largeTeam',
  'answerJump',
] as const satisfies readonly ScenarioName[];

const H = 3600;

/** §4.2 talk time: 30% quick rejections lognormal(20, 10) + 70% conversations lognormal(180, 120); mean 132 s. */
export const DEFAULT_TALK: Dist = {
  kind: 'mixture',
  parts: [
    { weight: 0.3, dist: { kind: 'lognormal', mean: 20, sd: 10 } },
    { weight: 0.7, dist: { kind: 'lognormal', mean: 180, sd: 120 } },
  ],
};

/** The §4.2 base scenario: 20 agents, pLive 0.20, machine 0.25, fail 0.15 (no-answer 0.40). */
export function baseConfig(): DialerConfig {
  return {
    seed: 1,
    tickSec: 1,
    maxWaitSec: 2,
    agents: [{ at: 0, value: 20 }],
    outcome: { pLive: [{ at: 0, value: 0.2 }], pMachine: 0.25, pFail: 0.15 },
    ringLive: { kind: 'lognormal', mean: 9, sd: 5 },
    ringMachine: { kind: 'lognormal', mean: 22, sd: 5 },
    ringTimeoutSec: 26,
    failTime: { kind: 'uniform', min: 2, max: 6 },
    amd: { enabled: true, delaySec: 3, falsePositive: 0 },
    talk: structuredClone(DEFAULT_TALK),
    wrap: { kind: 'lognormal', mean: 15, sd: 10 },
    // Lines per available agent; 1.0 = progressive.
    pacing: { semantics: 'perAvailableAgent', initial: 1 },
  };
}

/** A multiplier that is `factor` during each [start, start + lengthSec) and 1 elsewhere. */
export function pulses(starts: readonly number[], lengthSec: number, factor: number): Schedule<number> {
  const s: Schedule<number> = [{ at: 0, value: 1 }];
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (start === 0) s[0] = { at: 0, value: factor };
    else s.push({ at: start, value: factor });
    s.push({ at: start + lengthSec, value: 1 });
  }
  return s;
}

function changes(cfg: DialerConfig, name: ScenarioName): void {
  switch (name) {
    case 'steady':
      return;
    case 'lunchDip':
      cfg.outcome.pLiveScale = pulses([3 * H], H, 0.5);
      return;
    case 'shiftChange':
      // Half the team leaves at 4 h (busy agents finish their call and wrap), back at 4.5 h.
      cfg.agents = [
        { at: 0, value: 20 },
        { at: 4 * H, value: 10 },
        { at: 4.5 * H, value: 20 },
      ];
      return;
    case 'burst':
      cfg.outcome.pLiveScale = pulses([1 * H, 2.5 * H, 4 * H, 5.5 * H, 7 * H], 600, 1.75);
      return;
    case 'freshList':
      cfg.outcome.pLiveScale = [
        { at: 0, value: 1 },
        { at: 2 * H, value: 1.6 },
      ];
      return;
    case 'smallTeam':
      cfg.agents = [{ at: 0, value: 5 }];
      return;
    case 'largeTeam':
      cfg.agents = [{ at: 0, value: 100 }];
      return;
    case 'answerJump':
      // §5.3 dynamics check: +60% live answers as a step; "no 30-min window above 10%" afterwards.
      cfg.outcome.pLiveScale = [
        { at: 0, value: 1 },
        { at: ANSWER_JUMP_AT_SEC, value: 1.6 },
      ];
      return;
  }
}

/** Overrides merge one level deep into `outcome`, `amd` and `pacing`; other fields are replaced. */
export type ScenarioOverrides = Partial<Omit<DialerConfig, 'outcome' | 'amd' | 'pacing'>> & {
  outcome?: Partial<DialerConfig['outcome']>;
  amd?: Partial<DialerConfig['amd']>;
  pacing?: Partial<DialerConfig['pacing']>;
};

/**
 * Config for a named scenario (§4.3), with optional overrides, e.g.
 * `scenario('steady', { seed: 7, pacing: { initial: 3.5 } })`. Not validated here: the model
 * validates when it is built, so an override mistake surfaces as a RangeError naming the field.
 */
export function scenario(name: ScenarioName, overrides: ScenarioOverrides = {}): DialerConfig {
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown dialer scenario '${String(name)}'; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const cfg = baseConfig();
  changes(cfg, name);
  const { outcome, amd, pacing, ...rest } = structuredClone(overrides);
  return {
    ...cfg,
    ...rest,
    outcome: { ...cfg.outcome, ...outcome },
    amd: { ...cfg.amd, ...amd },
    pacing: { ...cfg.pacing, ...pacing },
  };
}

// Per-campaign tuning configuration: what core derives from settings (bounds, controller,
// setpoints, interval, mode) plus the loop's own documented defaults, validated once here.
import { assertBounds, type Bounds, type Controller } from './controller.ts';
import { createComplianceController } from './compliance-controller.ts';
import { DEFAULT_EMERGENCY_CUT_OPTIONS } from './emergency-cut.ts';
import type { ConfiguredMode } from './mode-state.ts';
import { createSeedLaw } from './seed-law.ts';

export type LoopControllerName = 'compliance-pi' | 'seed-law';

export interface CampaignTuningConfig {
  campaignId: string;
  name?: string;
  /** Genesys region key, carried into drift points. */
  region?: string;
  /** Pacing bounds (lines per available agent). */
  bounds: Bounds;
  controller: LoopControllerName;
  /** Abandon setpoint and hard ceiling, percent of live answers. */
  setpointPct: number;
  ceilingPct: number;
  /** Cycle length (s); 30 by default. */
  intervalSec: number;
  /** The settings' mode; an operator's mode or a held override may supersede it (mode-state.ts). */
  mode: ConfiguredMode;
  /** Step-limit guard, fraction per cycle (0.10). */
  stepLimit: number;
  /** Largest cut of a documented emergency cut, fraction per cycle (0.50; emergency-cut.ts). */
  emergencyCut: number;
  /** Whether cuts beyond the step are allowed at all (the emergency cut and the window guard's). */
  emergencyCuts: boolean;
  /** Smallest change worth a write (0.01). */
  minDelta: number;
  /** The seed law's target connect ratio (only used by `seed-law`). */
  seedTargetAnswerRate: number;
  /** Rolling compliance window (min) and EWMA half-life (min). */
  windowMinutes: number;
  halfLifeMinutes: number;
}

export const LOOP_DEFAULTS = Object.freeze({
  intervalSec: 30,
  stepLimit: 0.1,
  emergencyCut: 0.5,
  emergencyCuts: true,
  minDelta: 0.01,
  seedTargetAnswerRate: 0.2,
  windowMinutes: 30,
  halfLifeMinutes: 10,
  setpointPct: 2.5,
  ceilingPct: 3,
  mode: 'auto' as ConfiguredMode,
  controller: 'compliance-pi' as LoopControllerName,
});

export type CampaignTuningInput = Pick<CampaignTuningConfig, 'campaignId' | 'bounds'> & Partial<Omit<CampaignTuningConfig, 'campaignId' | 'bounds'>>;

export function campaignTuningConfig(input: CampaignTuningInput): CampaignTuningConfig {
  const c: CampaignTuningConfig = { ...LOOP_DEFAULTS, ...input, bounds: { ...input.bounds } };
  if (!c.campaignId) throw new RangeError('campaignId is required');
  assertBounds(c.bounds);
  if (!(c.intervalSec >= 1) || !Number.isFinite(c.intervalSec)) throw new RangeError(`intervalSec must be ≥ 1, got ${c.intervalSec}`);
  if (!(c.stepLimit > 0 && c.stepLimit < 1)) throw new RangeError(`stepLimit must be in (0, 1), got ${c.stepLimit}`);
  if (!(c.emergencyCut > c.stepLimit && c.emergencyCut < 1)) throw new RangeError(`emergencyCut must be in (stepLimit, 1), got ${c.emergencyCut}`);
  if (!(c.minDelta >= 0.01)) throw new RangeError(`minDelta must be ≥ 0.01, got ${c.minDelta}`);
  if (!(c.setpointPct > 0 && c.setpointPct <= c.ceilingPct)) throw new RangeError(`need 0 < setpointPct ≤ ceilingPct, got ${c.setpointPct} / ${c.ceilingPct}`);
  if (!['auto', 'paused', 'dry-run'].includes(c.mode)) throw new RangeError(`mode must be auto, paused or dry-run, got ${c.mode}`);
  if (!['compliance-pi', 'seed-law'].includes(c.controller)) throw new RangeError(`controller must be compliance-pi or seed-law, got ${c.controller}`);
  return c;
}

/** The settings shape (settings/schema.ts TuningDefaults), structurally, so tuning does not import settings. */
export interface TuningSettingsLike {
  min: number;
  max: number;
  controller: 'compliance' | 'seed';
  abandonSetpointPct: number;
  abandonCeilingPct: number;
  intervalSec: number;
  mode: ConfiguredMode;
  emergencyCuts?: boolean;
}

export function configFromSettings(campaignId: string, s: TuningSettingsLike, extra: { name?: string; region?: string } = {}): CampaignTuningConfig {
  return campaignTuningConfig({
    campaignId,
    ...extra,
    bounds: { min: s.min, max: s.max },
    controller: s.controller === 'seed' ? 'seed-law' : 'compliance-pi',
    setpointPct: s.abandonSetpointPct,
    ceilingPct: s.abandonCeilingPct,
    intervalSec: s.intervalSec,
    mode: s.mode,
    ...(s.emergencyCuts === undefined ? {} : { emergencyCuts: s.emergencyCuts }),
  });
}

export function controllerFor(c: CampaignTuningConfig): Controller<unknown> {
  if (c.controller === 'seed-law') return createSeedLaw({ targetAnswerRate: c.seedTargetAnswerRate }) as Controller<unknown>;
  // The settings allow setpoint = ceiling; keep the controller's setpoint strictly below it.
  const setpointPct = Math.min(c.setpointPct, c.ceilingPct - 0.05);
  // Off: no emergency cut, and the window guard's cuts stay within the step too.
  const emergency = c.emergencyCuts ? { ...DEFAULT_EMERGENCY_CUT_OPTIONS, maxCut: c.emergencyCut } : false;
  return createComplianceController({ setpointPct, ceilingPct: c.ceilingPct, maxStep: c.stepLimit, emergency }) as Controller<unknown>;
}

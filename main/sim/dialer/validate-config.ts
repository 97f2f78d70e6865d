// Checks a DialerConfig before a model is built. Configs reach the model from code, scenario files and
// the HTTP simulator, so every check names the offending field; a bad value must fail here, loudly,
// rather than hang the event loop (tickSec 0) or quietly skew the statistics (NaN probabilities).
import type { DialerConfig, Schedule } from './types.ts';
import { changeTimes, valueAt } from './schedule.ts';

/** Generous upper bounds that keep a typo from allocating millions of agents or calls. */
export const LIMITS = {
  maxAgents: 10_000,
  maxRatio: 100,
  minTickSec: 0.01,
  maxDistDepth: 8,
  minRetentionSec: 60,
} as const;

export class DialerConfigError extends RangeError {
  readonly code = 'DIALER_CONFIG_INVALID';
  readonly field: string;
  readonly fix: string;

  constructor(field: string, problem: string, got: unknown) {
    super(`dialer config: ${field} ${problem} (got ${describe(got)})`);
    this.name = 'DialerConfigError';
    this.field = field;
    this.fix = `Correct ${field} in the dialer configuration or scenario overrides.`;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? typeof v;
  } catch {
    return typeof v;
  }
}

function num(field: string, v: unknown, min: number, max = Infinity, opts: { integer?: boolean; minExclusive?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DialerConfigError(field, 'must be a finite number', v);
  if (opts.minExclusive ? v <= min : v < min) throw new DialerConfigError(field, `must be ${opts.minExclusive ? '>' : '≥'} ${min}`, v);
  if (v > max) throw new DialerConfigError(field, `must be ≤ ${max}`, v);
  if (opts.integer && !Number.isInteger(v)) throw new DialerConfigError(field, 'must be an integer', v);
  return v;
}

function object(field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DialerConfigError(field, 'must be an object', v);
  return v as Record<string, unknown>;
}

export function validateDist(field: string, v: unknown, depth = 0): void {
  if (depth > LIMITS.maxDistDepth) throw new DialerConfigError(field, `nests mixtures deeper than ${LIMITS.maxDistDepth}`, '…');
  const d = object(field, v);
  switch (d.kind) {
    case 'const':
      num(`${field}.value`, d.value, 0);
      return;
    case 'uniform': {
      const min = num(`${field}.min`, d.min, 0);
      num(`${field}.max`, d.max, min);
      return;
    }
    case 'lognormal':
      num(`${field}.mean`, d.mean, 0, Infinity, { minExclusive: true });
      num(`${field}.sd`, d.sd, 0);
      return;
    case 'mixture': {
      if (!Array.isArray(d.parts) || d.parts.length === 0) throw new DialerConfigError(`${field}.parts`, 'must be a non-empty array', d.parts);
      let total = 0;
      d.parts.forEach((p: unknown, i: number) => {
        const part = object(`${field}.parts[${i}]`, p);
        total += num(`${field}.parts[${i}].weight`, part.weight, 0);
        validateDist(`${field}.parts[${i}].dist`, part.dist, depth + 1);
      });
      if (!(total > 0)) throw new DialerConfigError(`${field}.parts`, 'must have a positive total weight', total);
      return;
    }
    default:
      throw new DialerConfigError(`${field}.kind`, "must be 'lognormal', 'uniform', 'const' or 'mixture'", d.kind);
  }
}

function schedule(field: string, v: unknown, min: number, max: number, integer = false): Schedule<number> {
  if (!Array.isArray(v) || v.length === 0) throw new DialerConfigError(field, 'must be a non-empty array of { at, value }', v);
  let prev = -Infinity;
  v.forEach((e: unknown, i: number) => {
    const entry = object(`${field}[${i}]`, e);
    const at = num(`${field}[${i}].at`, entry.at, 0);
    if (i === 0 && at !== 0) throw new DialerConfigError(`${field}[0].at`, 'must be 0', at);
    if (at <= prev) throw new DialerConfigError(`${field}[${i}].at`, 'must be greater than the previous entry', at);
    prev = at;
    num(`${field}[${i}].value`, entry.value, min, max, { integer });
  });
  return v as Schedule<number>;
}

function ratio(field: string, v: unknown): number {
  return num(field, v, 0, LIMITS.maxRatio, { minExclusive: true });
}

/** Throws `DialerConfigError` (a RangeError) naming the first bad field; returns the config unchanged. */
export function validateDialerConfig(config: DialerConfig): DialerConfig {
  const c = object('config', config);
  num('seed', c.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { integer: true });
  num('tickSec', c.tickSec, LIMITS.minTickSec);
  num('maxWaitSec', c.maxWaitSec, 0);
  schedule('agents', c.agents, 0, LIMITS.maxAgents, true);
  if (c.paused !== undefined) schedule('paused', c.paused, 0, LIMITS.maxAgents, true);

  const o = object('outcome', c.outcome);
  const pLive = schedule('outcome.pLive', o.pLive, 0, 1);
  const scale = o.pLiveScale === undefined ? undefined : schedule('outcome.pLiveScale', o.pLiveScale, 0, Infinity);
  const pMachine = num('outcome.pMachine', o.pMachine, 0, 1);
  const pFail = num('outcome.pFail', o.pFail, 0, 1);
  // The product of two step functions only changes where one of them does, so checking every change
  // time covers the whole run exactly.
  for (const t of changeTimes(pLive, scale)) {
    const live = valueAt(pLive, t) * (scale ? valueAt(scale, t) : 1);
    if (live + pMachine + pFail > 1 + 1e-12) {
      throw new DialerConfigError(
        'outcome',
        `probabilities must sum to ≤ 1 at t=${t}s: pLive·pLiveScale ${live.toFixed(4)} + pMachine ${pMachine} + pFail ${pFail}`,
        live + pMachine + pFail,
      );
    }
  }

  validateDist('ringLive', c.ringLive);
  validateDist('ringMachine', c.ringMachine);
  num('ringTimeoutSec', c.ringTimeoutSec, 0, Infinity, { minExclusive: true });
  validateDist('failTime', c.failTime);

  const amd = object('amd', c.amd);
  if (typeof amd.enabled !== 'boolean') throw new DialerConfigError('amd.enabled', 'must be a boolean', amd.enabled);
  num('amd.delaySec', amd.delaySec, 0);
  num('amd.falsePositive', amd.falsePositive, 0, 1);
  if (amd.machineHandle !== undefined) validateDist('amd.machineHandle', amd.machineHandle);

  validateDist('talk', c.talk);
  if (c.talkScale !== undefined) schedule('talkScale', c.talkScale, 0, Infinity);
  validateDist('wrap', c.wrap);

  const p = object('pacing', c.pacing);
  if (p.semantics !== 'perAvailableAgent' && p.semantics !== 'perStaffedAgent') {
    throw new DialerConfigError('pacing.semantics', "must be 'perAvailableAgent' or 'perStaffedAgent'", p.semantics);
  }
  ratio('pacing.initial', p.initial);
  if (p.trunkCap !== undefined) num('pacing.trunkCap', p.trunkCap, 0, Infinity, { integer: true });
  if (p.maxDialsPerTick !== undefined) num('pacing.maxDialsPerTick', p.maxDialsPerTick, 0, Infinity, { integer: true });
  if (c.detailRetentionSec !== undefined) num('detailRetentionSec', c.detailRetentionSec, LIMITS.minRetentionSec);
  return config;
}

/** Checks a pacing value at run time (`setRatio`); same bounds as `pacing.initial`. */
export function validateRatio(r: number): number {
  if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > LIMITS.maxRatio) {
    throw new RangeError(`pacing ratio must be a finite number in (0, ${LIMITS.maxRatio}] (got ${describe(r)})`);
  }
  return r;
}

// Per-campaign mode, as a pure state machine: auto, paused, dry-run, or an operator override held
// until a time or until released. The loop applies transitions and writes them to the audit
// trail; this module only decides what the next state is.
//
// Precedence at start: an override whose hold has not ended always resumes (it is an explicit
// promise to the operator); otherwise an operator's mode survives a restart as long as the
// settings' mode is what it was when the operator chose; a changed setting wins.
import type { RecoveredMode } from './audit-log.ts';
import type { TuningMode } from './guards.ts';

export type ConfiguredMode = Exclude<TuningMode, 'override'>;

export interface ModeState {
  mode: TuningMode;
  /** Present in override mode. */
  override: { value: number; holdUntil: number | undefined } | undefined;
}

export interface StartDecision {
  state: ModeState;
  /** Why this mode, for the audit record written at start (undefined: nothing changed). */
  note: string | undefined;
  /** A recovered override whose hold ended while Pacekeeper was not running. */
  expiredWhileStopped: boolean;
}

export function startMode(configured: ConfiguredMode, recovered: RecoveredMode | undefined, nowMs: number): StartDecision {
  if (!recovered) return { state: { mode: configured, override: undefined }, note: undefined, expiredWhileStopped: false };
  if (recovered.mode === 'override' && recovered.value !== undefined) {
    if (recovered.holdUntil === undefined || recovered.holdUntil > nowMs) {
      return { state: { mode: 'override', override: { value: recovered.value, holdUntil: recovered.holdUntil } }, note: 'override hold resumed after restart', expiredWhileStopped: false };
    }
    return { state: { mode: 'auto', override: undefined }, note: 'override hold ended while stopped', expiredWhileStopped: true };
  }
  if (recovered.mode !== 'override' && (recovered.settingsMode === undefined || recovered.settingsMode === configured)) {
    const same = recovered.mode === configured;
    return { state: { mode: recovered.mode, override: undefined }, note: same ? undefined : 'operator mode resumed after restart', expiredWhileStopped: false };
  }
  return { state: { mode: configured, override: undefined }, note: 'settings mode changed since the last run', expiredWhileStopped: false };
}

/** Whether an override's hold has ended at `nowMs`. */
export function holdExpired(s: ModeState, nowMs: number): boolean {
  return s.mode === 'override' && s.override?.holdUntil !== undefined && nowMs >= s.override.holdUntil;
}

export function holdUntilOf(nowMs: number, holdMinutes: number | undefined): number | undefined {
  return holdMinutes === undefined || holdMinutes <= 0 ? undefined : nowMs + holdMinutes * 60_000;
}

/** Validates an operator override before anything is written. */
export function checkOverride(value: unknown, holdMinutes: unknown, bounds: { min: number; max: number }): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'the override value must be a number';
  if (value < bounds.min || value > bounds.max) return `the override value ${value} is outside the campaign's bounds [${bounds.min}, ${bounds.max}]`;
  if (holdMinutes !== undefined && (typeof holdMinutes !== 'number' || !Number.isFinite(holdMinutes) || holdMinutes < 0 || holdMinutes > 7 * 24 * 60)) {
    return 'the hold must be between 0 (until released) and 10080 minutes';
  }
  return undefined;
}

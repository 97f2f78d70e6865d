// Display formatting: pure functions, so the words and numbers the dashboard shows are tested in
// Node. Missing values are an em dash, never 0 or NaN.
import type { DecisionOutcome } from '../../preload/contract.ts';

export const MISSING = '—';

export function fmtNumber(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? MISSING : v.toFixed(digits);
}

/** A percentage that is already in percent units (2.4 → "2.4%"). */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? MISSING : `${v.toFixed(digits)}%`;
}

/** A ratio in 0..1 shown as a percentage (0.312 → "31.2%"). */
export function fmtRatio(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? MISSING : `${(v * 100).toFixed(digits)}%`;
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

export function fmtCount(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : MISSING;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, HH:MM:SS; with the date when it is not the same day as `now`. */
export function fmtTime(iso: string | number | null | undefined, now: number = Date.now()): string {
  if (iso === null || iso === undefined) return MISSING;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const n = new Date(now);
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export const OUTCOME_LABELS: Readonly<Record<DecisionOutcome, string>> = {
  applied: 'Applied',
  unchanged: 'Unchanged',
  recommended: 'Recommended (dry run, not written)',
  conflict: 'Conflict (409/412: changed on the platform)',
  'rate-limited': 'Rate-limited (429)',
  'breaker-open': 'Not sent: circuit breaker open',
  skipped: 'Skipped',
  error: 'Error',
};

/** Outcomes an operator should look at, drawn with a warning glyph as well as a colour. */
export function outcomeSeverity(o: DecisionOutcome): 'ok' | 'warning' | 'error' {
  if (o === 'conflict' || o === 'rate-limited' || o === 'breaker-open') return 'warning';
  if (o === 'error') return 'error';
  return 'ok';
}

export type AbandonLevel = 'unknown' | 'ok' | 'near' | 'over';

/** Where an abandon rate stands against the ceiling; "near" is above the setpoint. */
export function abandonLevel(pct: number | null, setpointPct: number, ceilingPct: number): AbandonLevel {
  if (pct === null || !Number.isFinite(pct)) return 'unknown';
  if (pct > ceilingPct) return 'over';
  if (pct > setpointPct) return 'near';
  return 'ok';
}

/** The words that go with the level, so colour is never the only signal. */
export function abandonText(level: AbandonLevel, ceilingPct: number): string {
  const c = fmtPct(ceilingPct, ceilingPct % 1 === 0 ? 0 : 1);
  switch (level) {
    case 'over':
      return `▲ over the ${c} line`;
    case 'near':
      return `● above setpoint, under the ${c} line`;
    case 'ok':
      return `✓ under the ${c} line`;
    default:
      return 'no data yet';
  }
}

/** " 2.00 → 2.10" for a change, " 2.10" when there is only one value, "" for none. */
export function fmtChange(oldValue: number | null, newValue: number | null): string {
  if (newValue === null) return oldValue === null ? '' : ` ${fmtNumber(oldValue)}`;
  if (oldValue === null || oldValue === newValue) return ` ${fmtNumber(newValue)}`;
  return ` ${fmtNumber(oldValue)} → ${fmtNumber(newValue)}`;
}

export const GLYPH = { ok: '✓', warning: '!', error: '✕', info: 'i' } as const;

// The tray's state (icon + tooltip) derived from core's state snapshot. Priority: error beats
// warning beats paused beats ok, so the icon always shows the worst thing an operator should see.
import type { CampaignView, CoreState } from '../../../preload/contract.ts';

export const TRAY_LEVELS = ['ok', 'warning', 'error', 'paused'] as const;
export type TrayLevel = (typeof TRAY_LEVELS)[number];

export interface TrayStatus {
  level: TrayLevel;
  /** Why the level is what it is, worst first; empty when all is well. */
  reasons: string[];
}

/** A proxy error older than this no longer colours the icon (the next request will tell). */
export const PROXY_ERROR_FRESH_MS = 5 * 60_000;
/** Windows keeps 127 characters of a tray tooltip (NOTIFYICONDATA.szTip). */
export const WINDOWS_TOOLTIP_MAX = 127;

const WARNING_OUTCOMES: ReadonlySet<string> = new Set(['conflict', 'rate-limited']);
const ERROR_OUTCOMES: ReadonlySet<string> = new Set(['error', 'breaker-open']);

export function trayStatus(state: CoreState, nowMs: number): TrayStatus {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const c of state.campaigns) {
    if (c.breakerOpenUntil && Date.parse(c.breakerOpenUntil) > nowMs) {
      errors.push(`${c.name}: circuit breaker open`);
      continue;
    }
    // A paused campaign's last decision is history, not a current problem.
    if (c.mode === 'paused' || !c.lastDecision) continue;
    const outcome = c.lastDecision.outcome;
    if (ERROR_OUTCOMES.has(outcome)) errors.push(`${c.name}: ${describeOutcome(outcome)}`);
    else if (WARNING_OUTCOMES.has(outcome)) warnings.push(`${c.name}: ${describeOutcome(outcome)}`);
  }
  const proxyError = state.proxy.lastError;
  if (proxyError && nowMs - Date.parse(proxyError.at) < PROXY_ERROR_FRESH_MS) errors.push(`Proxy: ${proxyError.message}`);
  for (const w of state.warnings) warnings.push(w.message);

  if (errors.length) return { level: 'error', reasons: [...errors, ...warnings] };
  if (warnings.length) return { level: 'warning', reasons: warnings };
  if (state.campaigns.length > 0 && state.campaigns.every((c) => c.mode === 'paused')) {
    return { level: 'paused', reasons: ['All campaigns paused'] };
  }
  return { level: 'ok', reasons: [] };
}

export function describeOutcome(outcome: string): string {
  switch (outcome) {
    case 'conflict':
      return 'write conflict (409/412)';
    case 'rate-limited':
      return 'rate limited (429)';
    case 'breaker-open':
      return 'circuit breaker open';
    case 'error':
      return 'last cycle failed';
    default:
      return outcome;
  }
}

/** "Sandbox (simulator)" or the live region: shown first in the tooltip and the menu. */
export function platformLabel(state: CoreState): string {
  return state.platform.mode === 'sandbox' ? 'Sandbox (simulator, no credentials)' : `Live · ${state.platform.region}`;
}

export function campaignSummary(campaigns: readonly CampaignView[]): string {
  if (campaigns.length === 0) return 'No campaigns';
  const counts = new Map<string, number>();
  for (const c of campaigns) counts.set(c.mode, (counts.get(c.mode) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([mode, n]) => `${n} ${mode}`);
  return `${campaigns.length} campaign${campaigns.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function trayTooltip(state: CoreState, status: TrayStatus, platform: NodeJS.Platform): string {
  const lines = [`Pacekeeper — ${platformLabel(state)}`, campaignSummary(state.campaigns)];
  const [first] = status.reasons;
  if (first) {
    const more = status.reasons.length > 1 ? ` (+${status.reasons.length - 1} more)` : '';
    lines.push(`${status.level === 'error' ? 'Error' : status.level === 'warning' ? 'Warning' : 'Note'}: ${first}${more}`);
  }
  const text = lines.join('\n');
  if (platform !== 'win32' || text.length <= WINDOWS_TOOLTIP_MAX) return text;
  return `${text.slice(0, WINDOWS_TOOLTIP_MAX - 1)}…`;
}

/**
 * Icon file (relative to assets/) for a level. macOS: a Template image (black + alpha, the name
 * must end in "Template"; Electron picks the @2x file itself). Windows: a multi-size .ico.
 * Linux: PNG with an @2x companion.
 */
export function trayIconFile(level: TrayLevel, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray/tray-${level}Template.png`;
  if (platform === 'win32') return `tray/tray-${level}.ico`;
  return `tray/tray-${level}.png`;
}

// Which tuning events reach the dashboard's event log (and so the tray's notifications), and how
// they read. Routine outcomes (applied, unchanged) go to the chart and the audit trail instead.
import type { TuningEvent } from '../tuning/events.ts';
import type { NewEvent } from './event-log.ts';

const fmt = (v: number) => v.toFixed(2);
const at = (ms: number | undefined) => (ms === undefined ? 'until released' : `until ${new Date(ms).toISOString().slice(11, 16)} UTC`);

export function eventLogEntryFor(e: TuningEvent): NewEvent | undefined {
  const base = { campaignId: e.campaignId, campaignName: e.campaignName ?? null, at: new Date(e.time).toISOString() };
  switch (e.type) {
    case 'applied':
    case 'unchanged':
      return undefined;
    case 'conflict':
      return { ...base, kind: 'conflict', severity: 'warning', message: `Another writer changed the campaign (HTTP ${e.status}); gave up after ${e.attempts} attempts this cycle. The loop re-reads next cycle.` };
    case 'rate-limited':
      return {
        ...base,
        kind: 'rate-limited',
        severity: 'warning',
        message: e.cancelled
          ? `Rate limited (429); the ${Math.round(e.retryAfterMs / 1000)} s wait was cancelled.`
          : `Rate limited (429); waiting ${Math.round(e.retryAfterMs / 1000)} s as the platform asked (Retry-After).`,
      };
    case 'breaker-open':
      return { ...base, kind: 'breaker-open', severity: 'error', message: `Repeated server errors: this campaign's loop is paused ${e.retryAtMs ? at(e.retryAtMs) : 'for now'} (circuit breaker).` };
    case 'error':
      // A proxy login failure is its own kind: the tray tells the user to fix the credentials.
      if (e.code === 'ProxyAuthRequired') return { ...base, kind: 'proxy-auth', severity: 'error', message: e.message };
      return { ...base, kind: 'error', severity: 'error', message: `${e.stage}: ${e.message} (${e.code})` };
    case 'override-started':
      return { ...base, kind: 'override-started', severity: 'info', message: `Override to ${fmt(e.value)} held ${at(e.holdUntil)}${e.reason ? ` — ${e.reason}` : ''}.` };
    case 'override-ended':
      return { ...base, kind: 'override-ended', severity: e.why === 'expired' ? 'warning' : 'info', message: `Override ${e.why}; automatic tuning resumes from the current value${e.reason ? ` — ${e.reason}` : ''}.` };
    case 'mode-changed':
      return { ...base, kind: 'mode-changed', severity: 'info', message: `Mode ${e.from} → ${e.to}${e.reason ? ` — ${e.reason}` : ''}.` };
  }
}

/**
 * The loop reports a breaker opening but not its closing. The first cycle that completes (applied
 * or unchanged) after an opening means the platform answers again: that is logged as
 * 'breaker-closed', so the event log shows the breaker's whole state. One tracker per core, kept
 * across tuning rebuilds.
 */
export function breakerCloseTracker(): (e: TuningEvent) => NewEvent | undefined {
  const open = new Set<string>();
  return (e) => {
    if (e.type === 'breaker-open') {
      open.add(e.campaignId);
      return undefined;
    }
    if ((e.type !== 'applied' && e.type !== 'unchanged') || !open.delete(e.campaignId)) return undefined;
    return {
      campaignId: e.campaignId,
      campaignName: e.campaignName ?? null,
      at: new Date(e.time).toISOString(),
      kind: 'breaker-closed',
      severity: 'info',
      message: 'The platform answers again: the circuit breaker closed and tuning resumed.',
    };
  };
}

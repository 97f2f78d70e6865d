// Which core events become desktop notifications, what they say, where a click leads, and the
// coalescing rule: at most one notification per kind per campaign per window (settings
// ui.notifications.coalesceMinutes; 0 = never merge). A notice that follows suppressed ones says
// how many were merged, so nothing is silently lost.
import type { BridgeError, CampaignCommand, DoctorReport, EventLogEntry, EventPayload, Warning } from '../../../preload/contract.ts';

export const NOTIFY_KINDS = [
  'conflict',
  'rate-limited',
  'breaker-open',
  'override-ended',
  'proxy-auth',
  'keychain-unavailable',
  // Answers to something the user just did from the tray; never coalesced.
  'doctor',
  'command-failed',
] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export interface NotificationSpec {
  kind: NotifyKind;
  campaignId: string | null;
  title: string;
  body: string;
  /** Linux urgency; critical stays on screen until dismissed. */
  urgency: 'normal' | 'critical';
  /** Where a click on the notification leads. */
  navigate: EventPayload<'navigate'>;
}

const TITLES: Record<Exclude<NotifyKind, 'doctor' | 'command-failed'>, string> = {
  conflict: 'Write conflict',
  'rate-limited': 'Rate limited (429)',
  'breaker-open': 'Circuit breaker open',
  'override-ended': 'Override expired',
  'proxy-auth': 'Proxy authentication failed',
  'keychain-unavailable': 'OS keychain unavailable',
};

/** Maps a core event-log entry to a notification, or undefined for kinds that stay in the log. */
export function notificationForLog(entry: EventLogEntry): NotificationSpec | undefined {
  const kind = entry.kind as keyof typeof TITLES;
  if (!Object.hasOwn(TITLES, kind)) return undefined;
  // Only an override that expired is news: a release or replacement was the user's own action.
  // Core logs expiry as a warning, the others as info (main/core/tuning-event-log.ts).
  if (kind === 'override-ended' && entry.severity === 'info') return undefined;
  const campaign = entry.campaignName ?? entry.campaignId;
  const title = campaign ? `${TITLES[kind]} — ${campaign}` : TITLES[kind];
  return {
    kind,
    campaignId: entry.campaignId,
    title,
    body: entry.message,
    urgency: kind === 'breaker-open' || kind === 'proxy-auth' || kind === 'keychain-unavailable' ? 'critical' : 'normal',
    navigate: navigateFor(kind, entry.campaignId),
  };
}

/** Secret-store warning codes (main/secrets) that mean secrets are not kept in an OS keychain. */
const KEYCHAIN_WARNING = /^(KEYCHAIN_UNAVAILABLE|ENCRYPTION_UNAVAILABLE|ENCRYPTION_INSECURE|keychain-unavailable)$/;

/** State warnings that deserve a notification even if core logged no event for them (e.g. at startup). */
export function notificationsForWarnings(warnings: readonly Warning[]): NotificationSpec[] {
  return warnings
    .filter((w) => KEYCHAIN_WARNING.test(w.code))
    .map((w) => ({
      kind: 'keychain-unavailable' as const,
      campaignId: null,
      title: TITLES['keychain-unavailable'],
      body: w.fix ? `${w.message} ${w.fix}` : w.message,
      urgency: 'critical' as const,
      navigate: navigateFor('keychain-unavailable', null),
    }));
}

export function doctorNotification(report: DoctorReport): NotificationSpec {
  const failing = report.hops.filter((h) => !h.ok);
  const first = failing[0];
  return {
    kind: 'doctor',
    campaignId: null,
    title: report.ok ? 'Doctor: all checks passed' : `Doctor: ${failing.length} check${failing.length === 1 ? '' : 's'} failed`,
    body: first ? `${first.hop}: ${first.detail}${first.fix ? ` — ${first.fix}` : ''}` : `${report.hops.length} hops OK.`,
    urgency: report.ok ? 'normal' : 'critical',
    navigate: { view: 'proxy' },
  };
}

export function doctorFailedNotification(error: BridgeError): NotificationSpec {
  return { kind: 'doctor', campaignId: null, title: 'Doctor could not run', body: error.message, urgency: 'normal', navigate: { view: 'proxy' } };
}

export function commandFailedNotification(command: CampaignCommand, error: BridgeError): NotificationSpec {
  return {
    kind: 'command-failed',
    campaignId: command.campaignId,
    title: `Could not ${command.action === 'dry-run' ? 'change dry run for' : command.action} the campaign`,
    body: error.fix ? `${error.message} ${error.fix}` : error.message,
    urgency: 'normal',
    navigate: { view: 'campaign', campaignId: command.campaignId },
  };
}

function navigateFor(kind: NotifyKind, campaignId: string | null): EventPayload<'navigate'> {
  if (kind === 'proxy-auth') return { view: 'proxy' };
  if (kind === 'keychain-unavailable') return { view: 'settings' };
  return campaignId ? { view: 'campaign', campaignId } : { view: 'events' };
}

interface Slot {
  lastShownAt: number;
  suppressed: number;
}

export type CoalesceDecision = { show: true; spec: NotificationSpec } | { show: false; suppressed: number };

export class NotificationCoalescer {
  #windowMs: number;
  readonly #slots = new Map<string, Slot>();

  constructor(windowMinutes: number) {
    this.#windowMs = toWindowMs(windowMinutes);
  }

  setWindowMinutes(minutes: number): void {
    this.#windowMs = toWindowMs(minutes);
  }

  /** Decides whether `spec` is shown at `nowMs`, and records it. */
  offer(spec: NotificationSpec, nowMs: number): CoalesceDecision {
    this.#prune(nowMs);
    const key = `${spec.kind}\u0000${spec.campaignId ?? ''}`;
    const slot = this.#slots.get(key);
    if (slot && this.#windowMs > 0 && nowMs - slot.lastShownAt < this.#windowMs) {
      slot.suppressed += 1;
      return { show: false, suppressed: slot.suppressed };
    }
    const merged = slot?.suppressed ?? 0;
    this.#slots.set(key, { lastShownAt: nowMs, suppressed: 0 });
    if (merged === 0) return { show: true, spec };
    return { show: true, spec: { ...spec, body: `${spec.body} (${merged} similar since the last notice)` } };
  }

  /** Slots older than the window carry no information except a suppressed count, which is kept. */
  #prune(nowMs: number): void {
    if (this.#slots.size < 512) return;
    for (const [key, slot] of this.#slots) {
      if (slot.suppressed === 0 && nowMs - slot.lastShownAt >= this.#windowMs) this.#slots.delete(key);
    }
  }
}

function toWindowMs(minutes: number): number {
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

/**
 * State warnings persist while the condition lasts; notify when a code first appears (or comes
 * back after clearing), not on every state update.
 */
export function freshWarnings(seen: ReadonlySet<string>, warnings: readonly Warning[]): { fresh: Warning[]; seen: Set<string> } {
  const current = new Set(warnings.map((w) => w.code));
  return { fresh: warnings.filter((w, i) => !seen.has(w.code) && warnings.findIndex((x) => x.code === w.code) === i), seen: current };
}

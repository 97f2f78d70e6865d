// CoreState fixtures for the shell's pure policies, validated against the contract's schema so a
// contract change breaks the fixtures loudly instead of silently testing a stale shape.
import { CoreStateSchema, type CampaignView, type CoreState, type EventLogEntry, EventLogEntrySchema } from '../../preload/contract.ts';

export const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
export const iso = (ms: number) => new Date(ms).toISOString();

export function campaign(overrides: Partial<CampaignView> = {}): CampaignView {
  return {
    id: 'c-1',
    name: 'Spring Sale',
    dialingMode: 'predictive',
    campaignStatus: 'on',
    mode: 'auto',
    controller: 'compliance',
    field: 'maxCallsPerAgentDecimal',
    current: 2.1,
    recommended: 2.2,
    min: 1,
    max: 3,
    connectRatio: 0.3,
    abandonWindowPct: 1.8,
    abandonDayPct: 1.5,
    setpointPct: 2.5,
    ceilingPct: 3,
    platformPacing: 2.05,
    lastDecision: { at: iso(NOW - 10_000), outcome: 'applied', oldValue: 2, newValue: 2.1, version: 7, message: 'applied' },
    hold: null,
    breakerOpenUntil: null,
    counters: { applied: 3, conflicts: 0, rateLimited: 0, errors: 0 },
    ...overrides,
  };
}

export function coreState(overrides: Partial<CoreState> = {}): CoreState {
  const state: CoreState = {
    at: iso(NOW),
    platform: { mode: 'sandbox', region: 'sandbox', apiBaseUrl: 'http://127.0.0.1:4010' },
    campaigns: [campaign()],
    proxy: { route: 'direct', source: 'direct', tunnelsOpened: 0, active: 0, idle: 0, handshakeMs: null, lastError: null, hops: [] },
    relay: { enabled: true, port: 5000, sessions: 0, upstreamChannels: 0, topics: 0, queueDepthP99: 0, drops: 0, slowConsumerCloses: 0, latencyP50Ms: null, latencyP99Ms: null },
    telemetry: { enabled: false, target: null, lastSuccess: null, backlog: 0, dropped: 0, lastError: null },
    warnings: [],
    ...overrides,
  };
  return CoreStateSchema.parse(state);
}

export function logEntry(overrides: Partial<EventLogEntry> = {}): EventLogEntry {
  return EventLogEntrySchema.parse({
    id: 1,
    at: iso(NOW),
    kind: 'conflict',
    severity: 'warning',
    campaignId: 'c-1',
    campaignName: 'Spring Sale',
    message: 'Version 7 was stale; re-read and retried 3 times.',
    ...overrides,
  });
}

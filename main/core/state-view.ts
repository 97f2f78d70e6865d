// Pure mappings from engine snapshots to the bridge's view types (preload/contract.ts). Core calls
// these on every state publish; they never throw on odd input and never carry secrets.
import type {
  CampaignView,
  Decision,
  DecisionOutcome,
  HopStatus,
  ProxyHealth,
  RelayHealth,
  TelemetryHealth,
} from '../../preload/contract.ts';
import type { NetHealth } from '../net/index.ts';
import type { RelayMetrics } from '../relay/index.ts';
import type { TelemetryHealth as WriterHealth } from '../telemetry/health.ts';
import type { CampaignSnapshot, CycleOutcome } from '../tuning/loop-types.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
const num = (v: number | undefined | null): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const OUTCOME: Record<CycleOutcome, DecisionOutcome> = {
  applied: 'applied',
  unchanged: 'unchanged',
  'dry-run': 'recommended',
  skipped: 'skipped',
  conflict: 'conflict',
  'rate-limited': 'rate-limited',
  'breaker-open': 'breaker-open',
  error: 'error',
};

export interface CatalogEntry {
  name: string;
  dialingMode: string;
  campaignStatus: string;
  /** CampaignStats.adjustedCallsPerAgent, from the last cycle. */
  platformPacing?: number | undefined;
}

export interface CampaignTargets {
  setpointPct: number;
  ceilingPct: number;
}

export function decisionView(s: CampaignSnapshot): Decision | null {
  const d = s.lastDecision;
  if (!d) return null;
  const outcome = OUTCOME[d.outcome] ?? 'error';
  return {
    at: iso(d.time) ?? new Date(0).toISOString(),
    outcome,
    oldValue: null,
    newValue: num(d.value),
    version: num(s.version),
    message: d.reason,
  };
}

export function campaignView(s: CampaignSnapshot, catalog: CatalogEntry | undefined, targets: CampaignTargets, errors: number, applied: number): CampaignView {
  return {
    id: s.campaignId,
    name: catalog?.name ?? s.campaignName ?? s.campaignId,
    dialingMode: catalog?.dialingMode ?? 'unknown',
    campaignStatus: catalog?.campaignStatus ?? 'unknown',
    mode: s.mode,
    controller: s.controller,
    field: 'maxCallsPerAgentDecimal',
    current: num(s.current),
    recommended: num(s.recommended),
    min: s.bounds.min,
    max: s.bounds.max,
    connectRatio: num(s.connectRatio),
    abandonWindowPct: num(s.abandonWindowPct),
    abandonDayPct: num(s.abandonDayPct),
    setpointPct: targets.setpointPct,
    ceilingPct: targets.ceilingPct,
    platformPacing: num(catalog?.platformPacing),
    lastDecision: decisionView(s),
    hold: s.overrideValue === undefined ? null : { value: s.overrideValue, until: iso(s.holdUntil) },
    breakerOpenUntil: iso(s.breakerUntil),
    counters: { applied, conflicts: s.conflicts, rateLimited: s.rateLimited, errors },
  };
}

/** The proxy card: the route to the API host, its source, pool numbers and the last error. */
export function proxyHealthView(h: NetHealth, apiOrigin: string, hops: HopStatus[]): ProxyHealth {
  const host = safeHost(apiOrigin);
  const decision = Object.entries(h.proxy.decisions).find(([k]) => k.includes(host))?.[1] ?? Object.values(h.proxy.decisions)[0];
  const origins = h.origins.filter((o) => o.origin.includes(host));
  const use = origins.length ? origins : h.origins;
  const sum = (f: (o: (typeof use)[number]) => number) => use.reduce((a, o) => a + f(o), 0);
  const handshakes = use.map((o) => o.handshake?.avgMs).filter((v): v is number => typeof v === 'number');
  let lastError: ProxyHealth['lastError'] = null;
  for (const [hop, e] of Object.entries(h.lastErrors)) {
    if (e && (!lastError || e.at > lastError.at)) lastError = { hop, code: e.code, message: e.message, fix: e.fix, at: e.at };
  }
  return {
    route: decision?.routes[0] ?? 'direct',
    source: decision?.source ?? h.proxy.mode,
    tunnelsOpened: h.tunnelsOpened,
    active: sum((o) => o.active),
    idle: sum((o) => o.idle),
    handshakeMs: handshakes.length ? Math.round((handshakes.reduce((a, b) => a + b, 0) / handshakes.length) * 10) / 10 : null,
    lastError,
    hops,
  };
}

export function relayHealthView(m: RelayMetrics | undefined, port: number | null): RelayHealth {
  if (!m) {
    return { enabled: false, port: null, sessions: 0, upstreamChannels: 0, topics: 0, queueDepthP99: 0, drops: 0, slowConsumerCloses: 0, latencyP50Ms: null, latencyP99Ms: null };
  }
  const slow = m.closes.slowConsumer;
  return {
    enabled: true,
    port,
    sessions: m.sessions.total,
    upstreamChannels: m.upstream.channels,
    topics: m.topics,
    queueDepthP99: m.queue.depthP99Bytes,
    drops: m.drops,
    slowConsumerCloses: slow,
    latencyP50Ms: m.latencyMs.count ? m.latencyMs.p50 : null,
    latencyP99Ms: m.latencyMs.count ? m.latencyMs.p99 : null,
  };
}

export function telemetryHealthView(h: WriterHealth | undefined): TelemetryHealth {
  if (!h) return { enabled: false, target: null, lastSuccess: null, backlog: 0, dropped: 0, lastError: null };
  return {
    enabled: true,
    target: h.target,
    lastSuccess: h.lastSuccessAt ?? null,
    backlog: h.backlogPoints,
    dropped: h.droppedPoints,
    lastError: h.lastError ? `${h.lastError.message} ${h.lastError.fix}`.trim() : null,
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

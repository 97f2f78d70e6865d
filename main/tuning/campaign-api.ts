// The narrow platform interface the tuning loop needs, and its adapter over the real Genesys
// client. The loop depends on this interface only, so its logic is testable on its own; the
// adapter is what production and the loop's simulator tests use.
//
// Every call opts out of the net layer's automatic retries: the loop owns the policy (a 429 is an
// event and a cancellable wait, a 409/412 is a re-read and recompute, a 5xx waits for the next
// cycle), and a retry the loop cannot see would hide all three.
import type { Campaign, CampaignStats } from '../genesys/models.ts';
import type { GenesysClient } from '../genesys/client.ts';

export interface CampaignRead {
  campaign: Campaign;
  /** Entity tag, when the server sent one (gateways, the simulator); sent back as If-Match. */
  etag: string | undefined;
}

/** Live answers and abandons from analytics aggregates, over an interval. */
export interface AbandonCounts {
  /** nOutboundConnected: live voice reached (the abandon-rate denominator). */
  live: number;
  /** nOutboundAbandoned. */
  abandoned: number;
  /** nOutboundAttempted. */
  attempts: number;
}

export interface CallOpts {
  signal?: AbortSignal;
}

export interface CampaignApi {
  getCampaign(id: string, o?: CallOpts): Promise<CampaignRead>;
  /** Full replacement carrying the read `version`; `ifMatch` adds the If-Match header. */
  putCampaign(id: string, campaign: Campaign, o?: CallOpts & { ifMatch?: string }): Promise<CampaignRead>;
  /** Raw stats: validated by the loop (malformed stats skip the cycle). */
  getStats(id: string, o?: CallOpts): Promise<Partial<CampaignStats> | unknown>;
  queryAbandonCounts(id: string, fromMs: number, toMs: number, o?: CallOpts): Promise<AbandonCounts>;
}

const METRICS = ['nOutboundAttempted', 'nOutboundConnected', 'nOutboundAbandoned'] as const;

export function createCampaignApi(client: GenesysClient): CampaignApi {
  return {
    getCampaign: (id, o = {}) => client.getCampaign(id, { ...o, retry: 'none' }),
    putCampaign: (id, campaign, o = {}) =>
      client.putCampaign(id, campaign, {
        retry: 'none',
        useMaxCallsPerAgentDecimal: true,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.ifMatch ? { ifMatch: o.ifMatch } : {}),
      }),
    getStats: (id, o = {}) => client.getCampaignStats(id, { ...o, retry: 'none' }),
    async queryAbandonCounts(id, fromMs, toMs, o = {}) {
      const res = await client.queryConversationAggregates(
        {
          interval: `${new Date(fromMs).toISOString()}/${new Date(toMs).toISOString()}`,
          metrics: [...METRICS],
          filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'outboundCampaignId', operator: 'matches', value: id }] },
        },
        { ...o, retry: 'none' },
      );
      // Metrics with no data are left out and an empty result is `{}`: both mean zero.
      const sums: Record<string, number> = {};
      for (const r of res.results ?? []) {
        for (const d of r.data ?? []) {
          for (const m of d.metrics) sums[m.metric] = (sums[m.metric] ?? 0) + (m.stats.count ?? m.stats.sum ?? 0);
        }
      }
      return { attempts: sums.nOutboundAttempted ?? 0, live: sums.nOutboundConnected ?? 0, abandoned: sums.nOutboundAbandoned ?? 0 };
    },
  };
}

/** How the loop treats a failed call. Duck-typed on the stable `code`s of main/net and main/genesys. */
export type ApiFailure =
  | { kind: 'conflict'; status: number }
  | { kind: 'rate-limited'; retryAfterMs: number | undefined }
  | { kind: 'breaker-open'; retryAtMs: number | undefined }
  | { kind: 'invalid-response'; message: string }
  | { kind: 'aborted' }
  | { kind: 'other'; status: number | undefined; code: string; message: string };

export function classifyApiError(e: unknown): ApiFailure {
  const x = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; status?: unknown; retryAfterMs?: unknown; retryAtMs?: unknown; message?: unknown; name?: unknown };
  const code = typeof x.code === 'string' ? x.code : typeof x.name === 'string' ? x.name : 'Error';
  const status = typeof x.status === 'number' ? x.status : undefined;
  const message = typeof x.message === 'string' ? x.message : String(e);
  if (code === 'AbortError' || code === 'ABORT_ERR') return { kind: 'aborted' };
  if (code === 'VersionConflict' || status === 409 || status === 412) return { kind: 'conflict', status: status ?? 409 };
  if (code === 'RateLimited' || status === 429) return { kind: 'rate-limited', retryAfterMs: typeof x.retryAfterMs === 'number' ? x.retryAfterMs : undefined };
  if (code === 'CircuitOpen') return { kind: 'breaker-open', retryAtMs: typeof x.retryAtMs === 'number' ? x.retryAtMs : undefined };
  if (code === 'ResponseInvalid') return { kind: 'invalid-response', message };
  return { kind: 'other', status, code, message };
}

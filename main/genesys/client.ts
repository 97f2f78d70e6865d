// Typed Genesys Cloud REST client on the net layer: campaigns (list, get, PUT with `version`,
// PATCH), stats, analytics aggregates, notification channels and subscriptions, and the channel
// WebSocket through the same dispatcher. Every response is validated; errors keep the status,
// Genesys `code` and `contextId`. A 401 drops the token and the call is repeated once.
import type { z } from 'zod';
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import type { Redactor } from '../util/redact.ts';
import type { NetLayer, NetResponse, NetWebSocket, SecretSource } from '../net/index.ts';
import {
  CampaignEntityListingSchema, CampaignSchema, CampaignStatsSchema, ChannelEntityListingSchema, ChannelSchema,
  ChannelTopicEntityListingSchema, ConversationAggregateQueryResponseSchema,
  type Campaign, type CampaignEntityListing, type CampaignPatchRequest, type CampaignStats, type Channel, type ChannelTopic,
  type ConversationAggregateQueryResponse, type ConversationAggregationQuery,
} from './models.ts';
import { endpointsFor, type RegionEndpoints } from './regions.ts';
import { headerValue, httpErrorOf, parseBody } from './responses.ts';
import { createTokenSource, type TokenSource } from './token-source.ts';

export interface GenesysClientOptions {
  net: NetLayer;
  /** A region key/domain, or explicit base URLs (apiBaseUrl, loginBaseUrl) for the simulator or a gateway. */
  region?: string;
  apiBaseUrl?: string;
  loginBaseUrl?: string;
  clientId: string;
  secrets: SecretSource;
  clock?: Clock;
  logger?: Logger;
  redactor?: Redactor;
  /** Refresh the token on a timer at 85% of its lifetime (default true). */
  proactiveTokenRefresh?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** `auto` (default): the net layer retries 408/429/5xx on idempotent calls. `none`: one attempt; the caller handles 429 etc. */
  retry?: 'auto' | 'none';
}

export interface CampaignRead {
  campaign: Campaign;
  /** The ETag the server sent, for If-Match (gateways and the simulator honour it). */
  etag: string | undefined;
}

export interface ListCampaignsQuery {
  pageSize?: number;
  pageNumber?: number;
  name?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
}

export interface GenesysClient {
  readonly endpoints: RegionEndpoints;
  readonly tokens: TokenSource;
  listCampaigns(q?: ListCampaignsQuery, o?: CallOptions): Promise<CampaignEntityListing>;
  getCampaign(id: string, o?: CallOptions): Promise<CampaignRead>;
  /** Full update carrying the `version` that was read; 409/412 → VersionConflict. Writes the decimal pacing field by default. */
  putCampaign(id: string, campaign: Campaign, o?: CallOptions & { useMaxCallsPerAgentDecimal?: boolean; ifMatch?: string }): Promise<CampaignRead>;
  /** Partial update (no version: last writer wins unless ifMatch is given). */
  patchCampaign(id: string, patch: CampaignPatchRequest, o?: CallOptions & { ifMatch?: string }): Promise<{ etag: string | undefined }>;
  getCampaignStats(id: string, o?: CallOptions): Promise<CampaignStats>;
  queryConversationAggregates(query: ConversationAggregationQuery, o?: CallOptions): Promise<ConversationAggregateQueryResponse>;
  createChannel(o?: CallOptions): Promise<Channel>;
  listChannels(scope?: 'token' | 'oauthclient', o?: CallOptions): Promise<Channel[]>;
  getSubscriptions(channelId: string, o?: CallOptions): Promise<ChannelTopic[]>;
  /** Replaces the channel's topics. */
  putSubscriptions(channelId: string, topics: string[], o?: CallOptions & { ignoreErrors?: boolean }): Promise<ChannelTopic[]>;
  /** Adds topics to the channel. */
  addSubscriptions(channelId: string, topics: string[], o?: CallOptions & { ignoreErrors?: boolean }): Promise<ChannelTopic[]>;
  deleteSubscriptions(channelId: string, o?: CallOptions): Promise<void>;
  /**
   * Opens the channel's WebSocket through the net layer. `fresh`: the channel was just created, so
   * a 404 behind an inspecting proxy means the proxy stripped `Upgrade`.
   */
  openChannelSocket(channel: Channel | string, o?: { signal?: AbortSignal; fresh?: boolean }): Promise<NetWebSocket>;
  close(): void;
}

interface Call<T> {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema?: z.ZodType<T>;
  headers?: Record<string, string>;
  /** A POST that only reads may be retried. */
  idempotent?: boolean;
  opts?: CallOptions;
}

export function createGenesysClient(o: GenesysClientOptions): GenesysClient {
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? silentLogger;
  const endpoints = endpointsFor(o);
  const tokens = createTokenSource({
    net: o.net, loginBaseUrl: endpoints.loginBaseUrl, clientId: o.clientId, secrets: o.secrets, clock, logger,
    ...(o.redactor ? { redactor: o.redactor } : {}), ...(o.proactiveTokenRefresh === false ? { proactive: false } : {}),
  });

  async function call<T>(c: Call<T>): Promise<{ data: T; res: NetResponse }> {
    const url = new URL(c.path, endpoints.apiBaseUrl);
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${c.method} ${url.origin}${url.pathname}`;
    for (let authAttempt = 1; ; authAttempt++) {
      const token = await tokens.getToken(c.opts?.signal);
      const res = await o.net.request({
        url, method: c.method, throwOnHttpError: false,
        retry: c.opts?.retry === 'none' ? 'none' : 'idempotent',
        ...(c.idempotent ? { idempotent: true } : {}),
        ...(c.opts?.signal ? { signal: c.opts.signal } : {}),
        headers: {
          authorization: `Bearer ${token}`, accept: 'application/json',
          ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...c.headers,
        },
        ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
      });
      if (res.status === 401 && authAttempt === 1) {
        logger.info('access token rejected; fetching a new one', { target: what });
        tokens.invalidate(token);
        continue;
      }
      if (res.status >= 400) throw httpErrorOf(res, c.method, url, clock.now());
      const data = c.schema ? parseBody(res, c.schema, what) : (undefined as T);
      return { data, res };
    }
  }

  const campaignPath = (id: string) => `/api/v2/outbound/campaigns/${encodeURIComponent(id)}`;
  const channelPath = (id: string) => `/api/v2/notifications/channels/${encodeURIComponent(id)}/subscriptions`;
  const topicBody = (topics: string[]) => topics.map((id) => ({ id }));

  return {
    endpoints,
    tokens,
    async listCampaigns(q = {}, opts) {
      return (await call({ method: 'GET', path: '/api/v2/outbound/campaigns', query: { ...q }, schema: CampaignEntityListingSchema, ...(opts ? { opts } : {}) })).data;
    },
    async getCampaign(id, opts) {
      const { data, res } = await call({ method: 'GET', path: campaignPath(id), schema: CampaignSchema, ...(opts ? { opts } : {}) });
      return { campaign: data, etag: headerValue(res, 'etag') };
    },
    async putCampaign(id, campaign, opts = {}) {
      const { data, res } = await call({
        method: 'PUT', path: campaignPath(id), body: campaign, schema: CampaignSchema, opts,
        query: { useMaxCallsPerAgentDecimal: opts.useMaxCallsPerAgentDecimal === false ? undefined : true },
        ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}),
      });
      return { campaign: data, etag: headerValue(res, 'etag') };
    },
    async patchCampaign(id, patch, opts = {}) {
      const { res } = await call({ method: 'PATCH', path: campaignPath(id), body: patch, opts, ...(opts.ifMatch ? { headers: { 'if-match': opts.ifMatch } } : {}) });
      return { etag: headerValue(res, 'etag') };
    },
    async getCampaignStats(id, opts) {
      return (await call({ method: 'GET', path: `${campaignPath(id)}/stats`, schema: CampaignStatsSchema, ...(opts ? { opts } : {}) })).data;
    },
    async queryConversationAggregates(query, opts) {
      return (await call({ method: 'POST', path: '/api/v2/analytics/conversations/aggregates/query', body: query, idempotent: true, schema: ConversationAggregateQueryResponseSchema, ...(opts ? { opts } : {}) })).data;
    },
    async createChannel(opts) {
      // Not retried: a repeated POST would create a second channel (20 per client, oldest evicted).
      return (await call({ method: 'POST', path: '/api/v2/notifications/channels', schema: ChannelSchema, ...(opts ? { opts } : {}) })).data;
    },
    async listChannels(scope = 'token', opts) {
      return (await call({ method: 'GET', path: '/api/v2/notifications/channels', query: { includechannels: scope }, schema: ChannelEntityListingSchema, ...(opts ? { opts } : {}) })).data.entities;
    },
    async getSubscriptions(channelId, opts) {
      return (await call({ method: 'GET', path: channelPath(channelId), schema: ChannelTopicEntityListingSchema, ...(opts ? { opts } : {}) })).data.entities;
    },
    async putSubscriptions(channelId, topics, opts = {}) {
      return (await call({ method: 'PUT', path: channelPath(channelId), body: topicBody(topics), query: { ignoreErrors: opts.ignoreErrors || undefined }, schema: ChannelTopicEntityListingSchema, opts })).data.entities;
    },
    async addSubscriptions(channelId, topics, opts = {}) {
      // Adding the same topics twice leaves the same set: safe to retry.
      return (await call({ method: 'POST', path: channelPath(channelId), body: topicBody(topics), idempotent: true, query: { ignoreErrors: opts.ignoreErrors || undefined }, schema: ChannelTopicEntityListingSchema, opts })).data.entities;
    },
    async deleteSubscriptions(channelId, opts) {
      await call({ method: 'DELETE', path: channelPath(channelId), ...(opts ? { opts } : {}) });
    },
    openChannelSocket(channel, opts = {}) {
      const uri = typeof channel === 'string' ? channel : channel.connectUri;
      return o.net.openWebSocket(uri, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.fresh ? { knownGood: true } : {}) });
    },
    close() {
      tokens.close();
    },
  };
}

export type { Campaign, CampaignStats, Channel, ChannelTopic, CampaignPatchRequest, ConversationAggregationQuery };

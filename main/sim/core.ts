// Shared state of one running simulator and the request context handlers see. Types only, so
// route modules can depend on it without depending on each other.
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { CampaignDialers } from './campaign-dialers.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { SimCounters } from './counters.ts';
import type { FaultPlan } from './faults.ts';
import type { HandlerResult } from './http-io.ts';
import type { ChannelRegistry } from './notifications/channel-registry.ts';
import type { EventFeed } from './notifications/event-feed.ts';
import type { SocketServer } from './notifications/socket-server.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SandboxWorld } from './sandbox-world.ts';
import type { TokenRecord, TokenStore } from './token-store.ts';

/** Protocol limits and server safety limits; all have defaults (see defaultLimits). */
export interface SimLimits {
  /** Largest request body accepted (bytes); bigger gets 413. */
  maxBodyBytes: number;
  /** Time allowed to receive a request's headers (slow-loris guard), ms. */
  headersTimeoutMs: number;
  /** Time allowed to receive a whole request, ms. */
  requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this, ms. */
  keepAliveTimeoutMs: number;
  /** Notification channel lifetime (simulator clock), ms. Platform: 24 h. */
  channelLifetimeMs: number;
  maxChannelsPerClient: number;
  maxTopicsPerChannel: number;
  /** Heartbeat period on notification sockets (simulator clock), ms. Platform: about 30 s. */
  heartbeatMs: number;
  /** Grace between v2.system.socket_closing and the close (simulator clock), ms. Platform: about 1 min. */
  socketClosingGraceMs: number;
  /** Period of v2.outbound.campaigns.{id}.stats events (simulator clock), ms. */
  statsIntervalMs: number;
  /** Largest WebSocket frame a client may send (bytes). */
  maxFrameBytes: number;
  /** Dialer time already run when the simulator starts, so the sandbox is warm (ms). */
  warmupMs: number;
}

export function defaultLimits(): SimLimits {
  return {
    maxBodyBytes: 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    channelLifetimeMs: 24 * 3600 * 1000,
    maxChannelsPerClient: 20,
    maxTopicsPerChannel: 1000,
    heartbeatMs: 30_000,
    socketClosingGraceMs: 60_000,
    statsIntervalMs: 5_000,
    maxFrameBytes: 64 * 1024,
    warmupMs: 15 * 60_000,
  };
}

export interface SimCore {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly adminToken: string;
  readonly limits: SimLimits;
  readonly tokens: TokenStore;
  readonly limiter: RateLimiter;
  readonly faults: FaultPlan;
  counters: SimCounters;
  readonly world: SandboxWorld;
  readonly store: CampaignStore;
  readonly dialers: CampaignDialers;
  readonly channels: ChannelRegistry;
  readonly sockets: SocketServer;
  readonly feed: EventFeed;
}

export interface RequestContext {
  readonly core: SimCore;
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly correlationId: string;
  /** The caller's token on bearer-authenticated routes. */
  readonly token: TokenRecord | undefined;
  /** The parsed JSON body (undefined when empty); 400/413/415 on bad input. */
  json(): Promise<unknown>;
  /** The raw body as text (for the form-encoded OAuth endpoint). */
  text(): Promise<string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

/** `token`: platform API (bearer token + rate limit); `public`: /oauth/token; `admin`: /__sim. */
export interface RouteSpec {
  auth: 'token' | 'public' | 'admin';
  handle: Handler;
}

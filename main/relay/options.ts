// Relay options: every number has a documented default (docs/relay.md) and is validated once at
// construction, so a bad setting fails with a clear message instead of misbehaving later.
import { z } from 'zod';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { DEFAULT_TOPIC_PATTERNS, type TopicPatternInput } from './topic-patterns.ts';
import type { UpstreamPlatform } from './upstream-types.ts';

const ms = (dflt: number) => z.number().int().min(0).max(7 * 24 * 3600 * 1000).default(dflt);
const count = (dflt: number, max = 10_000_000) => z.number().int().min(1).max(max).default(dflt);

export const LimitsSchema = z.strictObject({
  /** Largest client frame; bigger closes with 1009. */
  maxFrameBytes: count(64 * 1024, 16 * 1024 * 1024),
  /** Sustained client messages per second, and the burst allowed; over it closes with 1008. */
  messagesPerSecond: count(20, 100_000),
  messageBurst: count(60, 100_000),
  /** Malformed frames within the window that close the client with 1008. */
  malformedLimit: count(5, 1000),
  malformedWindowMs: ms(60_000),
  maxTopicsPerSession: count(500, 20_000),
  /** Concurrent downstream sockets; more get 503 on upgrade. */
  maxSessions: count(25_000),
  /** Per-client queue bounds (queued + socket-buffered bytes; queued messages). */
  queueBytes: count(1024 * 1024, 1024 * 1024 * 1024),
  queueMessages: count(4096),
  coalesceAt: z.number().gt(0).max(1).default(0.7),
  /** Genesys-compatible virtual channels held at once. */
  maxCompatChannels: count(1000, 100_000),
  /** Grace for a closing client to answer our close frame before the socket is destroyed. */
  closeTimeoutMs: ms(5000),
});

export const HeartbeatSchema = z.strictObject({
  pingIntervalMs: ms(25_000),
  pongTimeoutMs: ms(10_000),
  /** Sessions without subscriptions for this long are closed. */
  idleTimeoutMs: ms(900_000),
  /** Genesys-style `channel.metadata` heartbeat to compat sockets. */
  compatHeartbeatMs: ms(30_000),
});

export const PoolSchema = z.strictObject({
  maxChannels: count(20, 20),
  maxTopicsPerChannel: count(1000, 1000),
  fillRatio: z.number().gt(0).max(1).default(0.8),
  subscribeBatch: count(200, 1000),
  batchDelayMs: ms(25),
  lingerMs: ms(30_000),
  ackTimeoutMs: ms(5000),
  overlapMs: ms(2000),
  rotateBeforeExpiryMs: ms(10 * 60_000),
  pingAfterMs: ms(35_000),
  silenceTimeoutMs: ms(75_000),
  backoffBaseMs: ms(500),
  backoffMaxMs: ms(30_000),
});

export const FanoutSchema = z.strictObject({
  inlineMax: count(256),
  sliceMs: z.number().gt(0).max(1000).default(4),
  chunk: count(128),
});

export const RelaySettingsSchema = z.strictObject({
  /** 0 picks an ephemeral port; `start()` reports it. */
  port: z.number().int().min(0).max(65535).default(0),
  /** The per-install token (secret store `relay.token`). */
  token: z.string().min(16, 'relay token must be at least 16 characters').max(512),
  /** Origins allowed to connect; by default only the dashboard's. A missing Origin is always allowed. */
  allowedOrigins: z.array(z.string().min(1)).default([]),
  /** Host names accepted in the Host header, always with the bound port. */
  allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/)).default(['127.0.0.1', 'localhost']),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  heartbeat: HeartbeatSchema.default(HeartbeatSchema.parse({})),
  pool: PoolSchema.default(PoolSchema.parse({})),
  fanout: FanoutSchema.default(FanoutSchema.parse({})),
});

export type RelaySettings = z.infer<typeof RelaySettingsSchema>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface RelayOptions extends DeepPartial<Omit<RelaySettings, 'token'>> {
  token: string;
  /** Topic families clients may subscribe to (default: campaigns, stats, presence, routing, queues). */
  topicPatterns?: readonly TopicPatternInput[];
  upstream: UpstreamPlatform;
  clock?: Clock;
  logger?: Logger;
  /** Randomness for jitter (tests pass a seeded one). */
  random?: () => number;
}

export class RelayConfigError extends Error {
  readonly code = 'RELAY_CONFIG';
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.name = 'RelayConfigError';
    this.fix = fix;
  }
}

export function resolveSettings(opts: RelayOptions): RelaySettings & { topicPatterns: readonly TopicPatternInput[] } {
  const { upstream: _u, clock: _c, logger: _l, random: _r, topicPatterns, ...plain } = opts;
  const parsed = RelaySettingsSchema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Never echo the token value; name the field only.
    const where = issue?.path.join('.') || 'options';
    throw new RelayConfigError(`invalid relay option ${where}: ${issue?.message ?? 'invalid'}`, `fix the relay setting ${where}`);
  }
  const hb = parsed.data.heartbeat;
  // Each ping round replaces the previous pong check, so a check must fall due before the next round.
  if (hb.pingIntervalMs > 0 && hb.pongTimeoutMs >= hb.pingIntervalMs) {
    throw new RelayConfigError('invalid relay option heartbeat.pongTimeoutMs: must be shorter than heartbeat.pingIntervalMs', 'lower heartbeat.pongTimeoutMs below heartbeat.pingIntervalMs');
  }
  return { ...parsed.data, topicPatterns: topicPatterns ?? DEFAULT_TOPIC_PATTERNS };
}

// Public surface of the relay. Everything else in main/relay is internal.
export { createRelay, type Relay, type RelayEvents, type DrainReport, type StopOptions } from './relay.ts';
export { RelayConfigError, type RelayOptions } from './options.ts';
export type { RelayMetrics } from './metrics.ts';
export type { UpstreamPlatform, UpstreamChannel, UpstreamSocket, UpstreamSocketHandlers, SubscribeOutcome } from './upstream-types.ts';
export { RELAY_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from './handshake.ts';
export { CLOSE, type StopReason } from './close-codes.ts';
export { DEFAULT_TOPIC_PATTERNS, type TopicPatternInput, type TopicPatternSpec } from './topic-patterns.ts';
export type { PoolEvent } from './pool-types.ts';

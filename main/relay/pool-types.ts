// Types shared by the upstream pool and its users: what it reports (events, metrics), what it
// calls (the sink, i.e. the topic router) and its options.
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { BackoffOptions } from './backoff.ts';
import type { RejectReason } from './protocol.ts';
import type { UpstreamPlatform } from './upstream-types.ts';

export interface PoolSink {
  topicLive(topic: string): void;
  topicRefused(topic: string, reason: RejectReason): void;
  gap(topics: Iterable<string>, reason: string, since: number): void;
  event(topic: string, body: unknown, correlationId: string | undefined, text: string, arrivedAt: number): void;
}

export type PoolEvent =
  | { kind: 'channel-open'; channel: string; platformId: string }
  | { kind: 'channel-lost'; channel: string; reason: string }
  | { kind: 'channel-recovered'; channel: string; platformId: string; gapTopics: number }
  | { kind: 'rotated'; from: string; to: string; why: string }
  | { kind: 'socket-closing'; channel: string }
  | { kind: 'upstream-error'; channel: string; operation: string; status?: number; message?: string; retryInMs: number };

export interface PoolOptions {
  platform: UpstreamPlatform;
  clock: Clock;
  logger: Logger;
  sink: PoolSink;
  /** Hard cap of topics per channel (default 1,000, the platform limit). */
  maxTopicsPerChannel: number;
  /** Fill before opening another channel, as a fraction of the cap (default 0.8). */
  fillRatio: number;
  /** Hard cap of channels held at once, overlap included (default 20, the platform limit). */
  maxChannels: number;
  /** Topics per subscription call (default 200). */
  subscribeBatch: number;
  /** Adds are gathered for this long before packing (default 25 ms). */
  batchDelayMs: number;
  /** How long the old channel stays open after the switch (default 2 s). */
  overlapMs: number;
  /** Rotate this long before the platform's expiry (default 10 min). */
  rotateBeforeExpiryMs: number;
  /** Silence after which a channel is pinged / given up (defaults 35 s / 75 s; heartbeats come every 30 s). */
  pingAfterMs: number;
  silenceTimeoutMs: number;
  backoff: BackoffOptions;
  random: () => number;
  onEvent?: (e: PoolEvent) => void;
}

export interface PoolMetrics {
  /** Channels the pool holds (connected or being opened). */
  channels: number;
  /** Closed by us, waiting for the socket close to finish. */
  closingChannels: number;
  liveChannels: number;
  topics: number;
  pendingTopics: number;
  subscribeCalls: number;
  created: number;
  reconnects: number;
  recreated: number;
  rotations: number;
  duplicates: number;
  /** Events seen on a channel that is not their topic's home (the other side of an overlap). */
  overlapIgnored: number;
  badFrames: number;
  socketClosing: number;
  refusedCapacity: number;
  perChannel: Array<{ channel: string; state: string; topics: number; confirmed: number }>;
}


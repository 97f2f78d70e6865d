// The relay's numbers for the bridge (issue #6): downstream sessions, upstream channels and
// topics, queue depth p99, drops and slow-consumer closes, delivery latency p50/p99.
import type { IntervalHistogram } from 'node:perf_hooks';
import type { CompatRegistry } from './compat-channels.ts';
import { CompatSocket } from './compat-channels.ts';
import type { Connection } from './connection.ts';
import type { DeliveryStats } from './delivery-stats.ts';
import type { FanoutScheduler } from './fanout.ts';
import { LogHistogram } from './histogram.ts';
import type { TopicRouter } from './topic-router.ts';
import type { PoolMetrics } from './pool-types.ts';
import type { UpstreamPool } from './upstream-pool.ts';

export interface RelayMetrics {
  sessions: { total: number; relay: number; compat: number };
  compatChannels: number;
  upstream: PoolMetrics;
  /** Unique topics with local subscribers (or lingering before unsubscribe). */
  topics: number;
  queue: { depthP99Bytes: number; depthMaxBytes: number };
  deliveries: number;
  drops: number;
  coalesced: number;
  closes: DeliveryStats['closes'];
  refusedUpgrades: Record<string, number>;
  /** Upstream arrival → socket write, ms, since start or the last window reset. */
  latencyMs: { p50: number; p99: number; max: number; count: number };
  fanout: {
    longestSliceMs: number;
    pendingJobs: number;
    /** Per event, arrival → last subscriber written, p50/p99 ms: fan-out ≤ 100, and 900–1,100. */
    completionNarrowMs: { p50: number; p99: number; count: number };
    completionWideMs: { p50: number; p99: number; count: number };
  };
  /** Event-loop delay since start or the last window reset (perf_hooks.monitorEventLoopDelay). */
  eventLoopDelayMs: { p99: number; max: number };
  draining: boolean;
}

export interface MetricsSources {
  connections: Iterable<Connection>;
  stats: DeliveryStats;
  pool: UpstreamPool;
  router: TopicRouter;
  compat: CompatRegistry;
  fanout: FanoutScheduler;
  draining: boolean;
  resetWindow: boolean;
  loopDelay: IntervalHistogram | undefined;
}

const pick = (s: { p50: number; p99: number; count: number }) => ({ p50: s.p50, p99: s.p99, count: s.count });

export function collectMetrics(src: MetricsSources): RelayMetrics {
  let relay = 0;
  let compat = 0;
  let depthMax = 0;
  const depth = new LogHistogram(1, 4 * 1024 * 1024 * 1024);
  for (const c of src.connections) {
    if (c instanceof CompatSocket) compat++;
    else relay++;
    const d = c.depth;
    depth.record(d);
    if (d > depthMax) depthMax = d;
  }
  const lat = src.stats.latency.summary();
  const out: RelayMetrics = {
    sessions: { total: relay + compat, relay, compat },
    compatChannels: src.compat.size,
    upstream: src.pool.metrics(),
    topics: src.router.topicCount,
    queue: { depthP99Bytes: depth.count ? Math.round(depth.quantile(0.99)) : 0, depthMaxBytes: depthMax },
    deliveries: src.stats.deliveries,
    drops: src.stats.dropped,
    coalesced: src.stats.coalesced,
    closes: { ...src.stats.closes },
    refusedUpgrades: { ...src.stats.refusedUpgrades },
    latencyMs: { p50: lat.p50, p99: lat.p99, max: lat.max, count: lat.count },
    fanout: {
      longestSliceMs: src.fanout.takeLongestSliceMs(),
      pendingJobs: src.fanout.pendingJobs,
      completionNarrowMs: pick(src.fanout.completion.narrow.summary()),
      completionWideMs: pick(src.fanout.completion.wide.summary()),
    },
    eventLoopDelayMs: src.loopDelay && src.loopDelay.count > 0 ? { p99: src.loopDelay.percentile(99) / 1e6, max: src.loopDelay.max / 1e6 } : { p99: 0, max: 0 },
    draining: src.draining,
  };
  if (src.resetWindow) {
    src.stats.latency.reset();
    src.fanout.completion.reset();
    src.loopDelay?.reset();
  }
  return out;
}

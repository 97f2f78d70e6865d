// The optional `proxy_health` and `relay_health` telemetry sources, read from whatever engines are
// running at sample time (the relay may restart between samples).
import type { NetLayer } from '../net/index.ts';
import type { RelayMetrics } from '../relay/metrics.ts';
import { proxyHealthSamples, type HealthSample, type HealthSource } from '../telemetry/health-sampler.ts';

/** One `relay_health` sample: sessions, upstream channels, topics, queues, drops and latency. */
export function relayHealthSamples(m: RelayMetrics): HealthSample[] {
  const closes = Object.values(m.closes).reduce((a, b) => a + b, 0);
  return [
    {
      tags: {},
      values: {
        sessions: m.sessions.total,
        upstream_channels: m.upstream.channels,
        topics: m.topics,
        queue_depth_p99_bytes: m.queue.depthP99Bytes,
        deliveries: m.deliveries,
        drops: m.drops,
        closes,
        latency_p50_ms: m.latencyMs.p50,
        latency_p99_ms: m.latencyMs.p99,
        draining: m.draining,
      },
    },
  ];
}

export function healthSources(net: () => NetLayer | undefined, relay: () => { metrics(): RelayMetrics } | undefined): HealthSource[] {
  return [
    { measurement: 'proxy_health', sample: () => { const n = net(); return n ? proxyHealthSamples(n.health()) : []; } },
    { measurement: 'relay_health', sample: () => { const r = relay(); return r ? relayHealthSamples(r.metrics()) : []; } },
  ];
}

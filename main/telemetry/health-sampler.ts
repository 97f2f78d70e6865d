// Optional `proxy_health` and `relay_health` points, sampled once a minute. Sources are plain
// functions so telemetry depends on no other engine: core passes `() => proxyHealthSamples(net.health())`
// and whatever the relay exposes. A source that throws is logged and skipped; the others still run.
import type { NetHealth } from '../net/index.ts';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import type { PointWriter } from './drift-sink.ts';
import { healthPoint } from './points.ts';
import { NanoTimestamps } from './timestamps.ts';

export interface HealthSample {
  tags: Record<string, string | undefined>;
  values: Record<string, number | boolean | undefined>;
}

export interface HealthSource {
  measurement: 'proxy_health' | 'relay_health';
  sample(): HealthSample[] | Promise<HealthSample[]>;
}

export interface HealthSamplerOptions {
  writer: PointWriter;
  sources: HealthSource[];
  clock?: Clock;
  log?: Logger;
  /** Default one minute. */
  intervalMs?: number;
}

export interface HealthSampler {
  /** Takes one sample of every source now (also what the timer does). */
  sampleNow(): Promise<void>;
  stop(): void;
}

export function startHealthSampler(o: HealthSamplerOptions): HealthSampler {
  const clock = o.clock ?? systemClock;
  const log = (o.log ?? silentLogger).child({ component: 'telemetry' });
  const ts = new NanoTimestamps(clock);
  const intervalMs = o.intervalMs ?? 60_000;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const sampleNow = async () => {
    for (const src of o.sources) {
      try {
        for (const s of await src.sample()) await o.writer.write(healthPoint(src.measurement, s.tags, s.values, ts.next()));
      } catch (e) {
        log.warn('health sample not recorded', { measurement: src.measurement, error: (e as Error).message });
      }
    }
  };
  const tick = () => {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      void sampleNow().finally(tick);
    }, intervalMs);
  };
  tick();
  return {
    sampleNow,
    stop: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

/** One `proxy_health` sample per origin and route the net layer has used. */
export function proxyHealthSamples(h: Pick<NetHealth, 'origins' | 'lastErrors'>): HealthSample[] {
  const errors = Object.keys(h.lastErrors).length;
  return h.origins.map((o) => ({
    tags: { origin: o.origin, route: o.route },
    values: {
      tunnels_opened: o.tunnelsOpened,
      connections_opened: o.connectionsOpened,
      active: o.active,
      idle: o.idle,
      pending: o.pending,
      connect_ms: o.connect?.lastMs,
      handshake_ms: o.handshake?.lastMs,
      handshake_avg_ms: o.handshake?.avgMs,
      hops_with_errors: errors,
    },
  }));
}

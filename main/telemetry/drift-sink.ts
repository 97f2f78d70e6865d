// The tuning loop's DriftSink (main/tuning/drift-sink.ts), implemented on the telemetry side:
// `applied` → one `campaign_drift` point, `signal` → one `campaign_signal` point. The point keeps
// the time the loop stamped on it, so a replay after an outage or a crash overwrites itself.
// Telemetry must never slow or break tuning: calls resolve once the point is spooled and never
// reject; failures are logged and show in the writer's health.
import type { DriftPoint, DriftSink, SignalPoint } from '../tuning/drift-sink.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import type { Point } from './line-protocol.ts';
import { campaignDriftPoint, campaignSignalPoint, type CampaignTags } from './points.ts';
import { NanoTimestamps } from './timestamps.ts';
import { systemClock } from '../util/clock.ts';

export type { DriftSink } from '../tuning/drift-sink.ts';

export interface PointWriter {
  write(point: Point): Promise<void>;
}

export interface InfluxDriftSinkOptions {
  writer: PointWriter;
  log?: Logger;
}

function tags(p: DriftPoint | SignalPoint): CampaignTags {
  return { campaignId: p.campaignId, campaignName: p.campaignName ?? '', region: p.region ?? '', controller: p.controller, mode: p.mode };
}

export class InfluxDriftSink implements DriftSink {
  readonly #writer: PointWriter;
  // Only used for uniqueness: two points stamped in the same millisecond get distinct nanoseconds.
  readonly #ts = new NanoTimestamps(systemClock);
  readonly #log: Logger;

  constructor(o: InfluxDriftSinkOptions) {
    this.#writer = o.writer;
    this.#log = (o.log ?? silentLogger).child({ component: 'telemetry' });
  }

  applied(p: DriftPoint): Promise<void> {
    return this.#write(() => campaignDriftPoint({
      ...tags(p), oldRate: p.oldRate, newRate: p.newRate, drift: p.drift, abandonPct: p.abandonPct, connectRatio: p.connectRatio, version: p.version, reason: p.reason,
    }, this.#ts.at(p.time)), p.campaignId);
  }

  signal(p: SignalPoint): Promise<void> {
    return this.#write(() => campaignSignalPoint({
      ...tags(p), currentRate: p.current, proposedRate: p.recommended, abandonPct: p.windowAbandonPct, connectRatio: p.connectRatio, action: p.outcome,
      inputs: {
        live: p.live, abandoned: p.abandoned, attempts: p.attempts, connects: p.connects,
        dayAbandonPct: p.dayAbandonPct, idleAgents: p.idleAgents, adjustedCallsPerAgent: p.adjustedCallsPerAgent,
      },
    }, this.#ts.at(p.time)), p.campaignId);
  }

  async #write(build: () => Point, campaignId: string): Promise<void> {
    let point: Point | undefined;
    try {
      point = build();
      await this.#writer.write(point);
    } catch (e) {
      const err = e as { code?: string; message?: string; fix?: string };
      this.#log.warn('telemetry point not recorded', { measurement: point?.measurement, campaignId, code: err.code, error: err.message, fix: err.fix });
    }
  }
}

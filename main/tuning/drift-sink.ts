// The hand-off from the tuning loop to telemetry (the `campaign_drift` measurement). The loop
// calls the sink; the telemetry issue implements it (line protocol, spool, writers). Calls are
// fire-and-forget from the loop's point of view: a sink that throws or rejects is logged and the
// loop carries on, because telemetry must never stop pacing.
import type { Logger } from '../util/log.ts';
import type { ControllerName } from './controller.ts';
import type { TuningMode } from './guards.ts';

/** One applied change of the pacing value. */
export interface DriftPoint {
  campaignId: string;
  campaignName: string | undefined;
  region: string | undefined;
  controller: ControllerName;
  mode: TuningMode;
  /** Pacing value before and after (the field written is `maxCallsPerAgentDecimal`). */
  oldRate: number;
  newRate: number;
  /** newRate − oldRate. */
  drift: number;
  /** Abandon % of the rolling window when the decision was made (undefined with no live answers). */
  abandonPct: number | undefined;
  /** Connect ratio (connects / attempts) of the rolling window. */
  connectRatio: number | undefined;
  /** Campaign version after the write. */
  version: number | undefined;
  /** The decision's reason, as in the `applied` event and the audit record (e.g. `pi`, `emergency-cut`). */
  reason?: string | undefined;
  /** Epoch ms. */
  time: number;
}

/** The inputs the controller saw in one cycle, applied or not. */
export interface SignalPoint {
  campaignId: string;
  campaignName: string | undefined;
  region: string | undefined;
  controller: ControllerName;
  mode: TuningMode;
  current: number;
  recommended: number;
  /** Counts of this cycle. */
  live: number;
  abandoned: number;
  attempts: number;
  connects: number;
  windowAbandonPct: number | undefined;
  dayAbandonPct: number | undefined;
  connectRatio: number | undefined;
  idleAgents: number | undefined;
  /** The platform pacer's own value (CampaignStats.adjustedCallsPerAgent). */
  adjustedCallsPerAgent: number | undefined;
  outcome: string;
  time: number;
}

export interface DriftSink {
  applied(point: DriftPoint): void | Promise<void>;
  signal(point: SignalPoint): void | Promise<void>;
}

export const NULL_DRIFT_SINK: DriftSink = { applied() {}, signal() {} };

/** Wraps a sink so neither a throw nor a rejection reaches the loop. */
export function safeSink(sink: DriftSink, logger: Logger): DriftSink {
  const guard = (what: string, f: () => void | Promise<void>) => {
    const warn = (e: unknown) => logger.warn('drift sink failed', { what, error: e instanceof Error ? e.message : String(e) });
    try {
      const r = f();
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(warn);
    } catch (e) {
      warn(e);
    }
  };
  return {
    applied: (p) => guard('applied', () => sink.applied(p)),
    signal: (p) => guard('signal', () => sink.signal(p)),
  };
}

// What a campaign loop tells the outside world, in one place: the dashboard snapshot it keeps up
// to date, the typed events, the audit records and the drift hand-off. The loop decides; this
// records, so every applied change reaches the event stream, the audit trail and telemetry alike.
import type { Clock } from '../util/clock.ts';
import type { AuditLog, DecisionRecord } from './audit-log.ts';
import type { CampaignRead } from './campaign-api.ts';
import type { CampaignTuningConfig } from './campaign-config.ts';
import { round2, type ControllerName } from './controller.ts';
import type { DriftSink, SignalPoint } from './drift-sink.ts';
import type { TuningEvent, TuningEvents } from './events.ts';
import type { TuningMode } from './guards.ts';
import type { CampaignSnapshot, CycleOutcome } from './loop-types.ts';
import type { ModeState } from './mode-state.ts';
import { pacingValueOf, type WriteResult } from './write-path.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type LoopEvent = DistributiveOmit<TuningEvent, 'campaignId' | 'campaignName' | 'time'>;
export type SnapState = Omit<CampaignSnapshot, 'mode' | 'holdUntil' | 'overrideValue' | 'breakerUntil' | 'busy'>;

export interface RecorderDeps {
  clock: Clock;
  audit: AuditLog;
  events: TuningEvents;
  sink: DriftSink;
}

export class LoopRecorder {
  readonly snap: SnapState;
  readonly #cfg: CampaignTuningConfig;
  readonly #d: RecorderDeps;
  readonly #controller: ControllerName;
  readonly #mode: () => ModeState;

  constructor(cfg: CampaignTuningConfig, deps: RecorderDeps, controller: ControllerName, mode: () => ModeState) {
    this.#cfg = cfg;
    this.#d = deps;
    this.#controller = controller;
    this.#mode = mode;
    this.snap = {
      campaignId: cfg.campaignId, campaignName: cfg.name, controller, bounds: { ...cfg.bounds }, intervalSec: cfg.intervalSec,
      current: undefined, recommended: undefined, version: undefined, connectRatio: undefined, abandonWindowPct: undefined,
      abandonDayPct: undefined, lastDecision: undefined, conflicts: 0, rateLimited: 0,
    };
  }

  noteRead(read: CampaignRead): void {
    this.snap.current = pacingValueOf(read.campaign);
    this.snap.version = read.campaign.version;
    if (!this.#cfg.name && read.campaign.name) this.snap.campaignName = read.campaign.name;
  }

  emit(e: LoopEvent): void {
    this.#d.events.emit({ ...e, campaignId: this.#cfg.campaignId, campaignName: this.snap.campaignName, time: this.#d.clock.now() } as TuningEvent);
  }

  mode(from: TuningMode | null, to: TuningMode, reason: string): void {
    const m = this.#mode();
    this.#d.audit.append({
      kind: 'mode', time: this.#iso(), campaignId: this.#cfg.campaignId,
      ...(this.snap.campaignName ? { campaignName: this.snap.campaignName } : {}),
      from, to, reason, settingsMode: this.#cfg.mode,
      ...(to === 'override' && m.override ? { value: m.override.value, holdUntil: m.override.holdUntil ?? null } : {}),
    });
  }

  decision(r: Pick<DecisionRecord, 'outcome' | 'oldValue' | 'newValue' | 'version' | 'reason' | 'inputs'> & { detail?: string; controller?: string }): void {
    this.#d.audit.append({
      kind: 'decision', time: this.#iso(), campaignId: this.#cfg.campaignId,
      ...(this.snap.campaignName ? { campaignName: this.snap.campaignName } : {}),
      field: 'maxCallsPerAgentDecimal', controller: r.controller ?? this.#controller, mode: this.#mode().mode, reason: r.reason,
      oldValue: finiteOrNull(r.oldValue), newValue: finiteOrNull(r.newValue), outcome: r.outcome, version: r.version, inputs: r.inputs,
      ...(r.detail ? { detail: r.detail } : {}),
    });
  }

  /** An applied change: event, drift point and audit record. */
  applied(a: { oldValue: number; value: number; version: number | undefined; mode: TuningMode; reason: string; by: string; inputs: DecisionRecord['inputs'] }): void {
    this.snap.current = a.value;
    this.emit({ type: 'applied', oldValue: a.oldValue, newValue: a.value, version: a.version, controller: a.by, mode: a.mode, reason: a.reason });
    this.#d.sink.applied({
      campaignId: this.#cfg.campaignId, campaignName: this.snap.campaignName, region: this.#cfg.region, controller: this.#controller, mode: a.mode,
      oldRate: a.oldValue, newRate: a.value, drift: round2(a.value - a.oldValue), abandonPct: this.snap.abandonWindowPct,
      connectRatio: this.snap.connectRatio, version: a.version, reason: a.reason, time: this.#d.clock.now(),
    });
    this.decision({ outcome: 'applied', oldValue: a.oldValue, newValue: a.value, version: a.version ?? null, reason: a.reason, inputs: a.inputs, ...(a.by !== this.#controller ? { controller: a.by } : {}) });
  }

  /**
   * Reports a write path's result: applied (event, drift point, audit), unchanged (event and audit:
   * `dry-run`, `skipped` for a non-paced campaign, else `unchanged`) or conflict (event and audit).
   */
  written(r: WriteResult, a: { mode: TuningMode; reason: string; by: string; inputs: DecisionRecord['inputs']; recommended: number | undefined }): CycleOutcome {
    if (r.outcome === 'applied') {
      this.applied({ oldValue: r.oldValue, value: r.value, version: r.version, mode: a.mode, reason: a.reason, by: a.by, inputs: a.inputs });
      return 'applied';
    }
    const by = a.by !== this.#controller ? { controller: a.by } : {};
    if (r.outcome === 'unchanged') {
      const outcome: CycleOutcome = r.why === 'dry-run' ? 'dry-run' : r.why === 'not-paced-dialing-mode' ? 'skipped' : 'unchanged';
      this.emit({ type: 'unchanged', value: r.oldValue, recommended: a.recommended ?? r.value, mode: a.mode, why: r.why });
      this.decision({ outcome, oldValue: r.oldValue, newValue: a.recommended ?? r.value, version: r.read.campaign.version ?? null, reason: `${a.reason}; ${r.why}`, inputs: a.inputs, ...by });
      return outcome;
    }
    this.snap.conflicts++;
    this.emit({ type: 'conflict', attempts: r.attempts, status: r.status });
    this.decision({
      outcome: 'conflict', oldValue: pacingValueOf(r.read.campaign) ?? null, newValue: a.recommended ?? null, version: r.read.campaign.version ?? null,
      reason: a.reason, inputs: a.inputs, detail: `${r.attempts} attempts`, ...by,
    });
    return 'conflict';
  }

  signal(p: Omit<SignalPoint, 'campaignId' | 'campaignName' | 'region' | 'controller' | 'time'>): void {
    this.#d.sink.signal({ ...p, campaignId: this.#cfg.campaignId, campaignName: this.snap.campaignName, region: this.#cfg.region, controller: this.#controller, time: this.#d.clock.now() });
  }

  #iso(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }
}

function finiteOrNull(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}

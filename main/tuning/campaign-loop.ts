// One campaign's tuning loop. Every cycle: read the campaign (version, ETag), its stats and the
// day's analytics counts; update the signal windows; let the controller propose; apply the guards
// and the mode; write under optimistic concurrency; then audit, emit and hand off to telemetry.
// Cycles and operator commands run one at a time on a per-campaign queue, so an override can never
// interleave with a cycle's read-modify-write.
import type { Clock, TimerHandle } from '../util/clock.ts';
import type { AuditLog, RecoveredMode } from './audit-log.ts';
import type { AbandonCounts, CampaignApi, CampaignRead } from './campaign-api.ts';
import { controllerFor, type CampaignTuningConfig } from './campaign-config.ts';
import { round2, clamp, type Controller, type ControllerDecision } from './controller.ts';
import type { DriftSink } from './drift-sink.ts';
import type { TuningEvents } from './events.ts';
import { applyGuards, PACED_DIALING_MODES, type TuningMode } from './guards.ts';
import { LoopRecorder } from './loop-recorder.ts';
import { createRequester, CycleStop, type Requester } from './loop-requests.ts';
import { checkOverride, holdExpired, holdUntilOf, startMode, type ModeState } from './mode-state.ts';
import type { RequestBudget } from './rate-budget.ts';
import { ratioOf } from './signal-window.ts';
import { SignalTracker } from './signal-tracker.ts';
import { CampaignReadings, readCounts, readStats, type StatsReading } from './stats-reading.ts';
import { pacingValueOf, writeDecisionOf, writeWithRetry, type WriteDecision, type WriteResult } from './write-path.ts';
import { decisionInputs, type CampaignSnapshot, type CommandResult, type CycleOutcome } from './loop-types.ts';

export interface LoopDeps {
  api: CampaignApi;
  clock: Clock;
  audit: AuditLog;
  events: TuningEvents;
  sink: DriftSink;
  budget: RequestBudget;
  /** Start of the campaign day containing `nowMs` (the cumulative compliance view resets then). */
  dayStart: (nowMs: number) => number;
  ifMatch: 'when-given' | 'never';
  maxConflictRetries: number;
  maxRetryAfterMs: number;
  defaultRetryAfterMs: number;
}

const ZERO_COUNTS: AbandonCounts = { live: 0, abandoned: 0, attempts: 0 };

export class CampaignLoop {
  readonly config: CampaignTuningConfig;
  readonly #d: LoopDeps;
  readonly #controller: Controller<unknown>;
  readonly #call: Requester;
  #ctrlState: unknown;
  readonly #readings: CampaignReadings;
  #mode: ModeState;
  #intervalMs: number;
  #timer: TimerHandle | undefined;
  #holdTimer: TimerHandle | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #abort: AbortController | undefined;
  #busy = 0;
  #running = false;
  #breakerUntil: number | undefined;
  readonly #rec: LoopRecorder;

  constructor(config: CampaignTuningConfig, deps: LoopDeps, recovered: RecoveredMode | undefined) {
    this.config = config;
    this.#d = deps;
    this.#controller = controllerFor(config);
    this.#ctrlState = this.#controller.init(config.bounds.min, deps.clock.now());
    const tracker = new SignalTracker({ intervalSec: config.intervalSec, windowMinutes: config.windowMinutes, halfLifeMinutes: config.halfLifeMinutes });
    this.#readings = new CampaignReadings(tracker, config.intervalSec);
    this.#intervalMs = config.intervalSec * 1000;
    this.#rec = new LoopRecorder(config, deps, this.#controller.name, () => this.#mode);
    this.#call = createRequester({
      clock: deps.clock, budget: deps.budget, maxRetryAfterMs: deps.maxRetryAfterMs, defaultRetryAfterMs: deps.defaultRetryAfterMs,
      onRateLimited: (waitMs, cancelled) => {
        if (!cancelled) this.#rec.snap.rateLimited++;
        this.#rec.emit({ type: 'rate-limited', retryAfterMs: waitMs, cancelled });
      },
      onBreakerOpen: (retryAtMs) => {
        this.#breakerUntil = retryAtMs ?? deps.clock.now() + this.#intervalMs;
        this.#rec.emit({ type: 'breaker-open', retryAtMs });
      },
      onError: (stage, code, message) => this.#rec.emit({ type: 'error', stage, code, message }),
      busy: (delta) => (this.#busy += delta),
    });
    const start = startMode(config.mode, recovered, deps.clock.now());
    this.#mode = start.state;
    if (start.expiredWhileStopped) {
      this.#rec.mode('override', 'auto', 'expired: override hold ended while Pacekeeper was stopped');
    } else if (start.note) {
      this.#rec.mode(recovered?.mode ?? null, this.#mode.mode, start.note);
    }
  }

  get busy(): boolean {
    return this.#busy > 0;
  }

  get mode(): TuningMode {
    return this.#mode.mode;
  }

  /** Starts the cycle timer; the first cycle runs after `firstDelayMs` (stagger and jitter). */
  start(firstDelayMs: number, intervalSec = this.config.intervalSec): void {
    if (this.#running) return;
    this.#running = true;
    this.#intervalMs = intervalSec * 1000;
    this.#rec.snap.intervalSec = intervalSec;
    this.#scheduleCycle(firstDelayMs);
    this.#scheduleHold();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    this.#holdTimer?.cancel();
    this.#abort?.abort();
    await this.#chain.catch(() => undefined);
  }

  snapshot(): CampaignSnapshot {
    return {
      ...structuredClone(this.#rec.snap),
      mode: this.#mode.mode,
      overrideValue: this.#mode.override?.value,
      holdUntil: this.#mode.override?.holdUntil,
      breakerUntil: this.#breakerUntil !== undefined && this.#breakerUntil > this.#d.clock.now() ? this.#breakerUntil : undefined,
      busy: this.busy,
    };
  }

  // ---- commands: each waits its turn on the queue and returns what really happened --------------

  pause(reason: string): Promise<CommandResult> {
    this.#abort?.abort();
    return this.#enqueue(async () => this.#setMode('paused', reason));
  }

  resume(reason: string): Promise<CommandResult> {
    return this.#enqueue(async () => this.#setMode('auto', reason));
  }

  setDryRun(on: boolean, reason: string): Promise<CommandResult> {
    return this.#enqueue(async () => this.#setMode(on ? 'dry-run' : 'auto', reason));
  }

  override(value: number, holdMinutes: number | undefined, reason: string): Promise<CommandResult> {
    const bad = checkOverride(value, holdMinutes, this.config.bounds);
    if (bad) return Promise.resolve({ ok: false, code: 'InvalidOverride', error: bad, mode: this.#mode.mode });
    this.#abort?.abort();
    return this.#enqueue(() => this.#applyOverride(round2(value), holdMinutes, reason));
  }

  release(reason: string): Promise<CommandResult> {
    this.#abort?.abort();
    return this.#enqueue(async () => {
      if (this.#mode.mode !== 'override') return { ok: false, code: 'NoOverride', error: 'no override is active', mode: this.#mode.mode };
      this.#endOverride('released', reason);
      return { ok: true, outcome: 'mode-changed', mode: this.#mode.mode };
    });
  }

  /** Runs a cycle now and writes its recommendation even in dry-run or paused mode. */
  applyRecommendationNow(reason: string): Promise<CommandResult> {
    return this.#enqueue(async () => {
      if (this.#mode.mode === 'override') return { ok: false, code: 'OverrideActive', error: 'release the override first', mode: this.#mode.mode };
      const r = await this.#cycle(true, reason);
      return r.outcome === 'applied' || r.outcome === 'unchanged'
        ? { ok: true, outcome: r.outcome, value: r.value, version: r.version, mode: this.#mode.mode }
        : { ok: false, code: r.outcome, error: r.detail ?? r.outcome, mode: this.#mode.mode };
    });
  }

  /** Runs one cycle now on the queue (tests and the headless host's "tick"). */
  runCycle(): Promise<{ outcome: CycleOutcome; value?: number; version?: number; detail?: string }> {
    return this.#enqueue(() => this.#cycle(false, undefined));
  }

  // ---- scheduling ----------------------------------------------------------------------------------

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #scheduleCycle(delayMs: number): void {
    this.#timer?.cancel();
    this.#timer = this.#d.clock.setTimeout(() => {
      void this.#enqueue(() => this.#cycle(false, undefined)).finally(() => {
        if (!this.#running) return;
        const now = this.#d.clock.now();
        // The breaker pauses this campaign until its next probe; otherwise a fixed cadence.
        const wait = Math.max(this.#intervalMs, (this.#breakerUntil ?? 0) - now);
        this.#scheduleCycle(wait);
      });
    }, Math.max(0, delayMs));
  }

  #scheduleHold(): void {
    this.#holdTimer?.cancel();
    const until = this.#mode.override?.holdUntil;
    if (!this.#running || this.#mode.mode !== 'override' || until === undefined) return;
    this.#holdTimer = this.#d.clock.setTimeout(() => {
      void this.#enqueue(async () => {
        if (holdExpired(this.#mode, this.#d.clock.now())) this.#endOverride('expired', 'hold time elapsed');
      });
    }, Math.max(0, until - this.#d.clock.now()));
  }

  // ---- the cycle -------------------------------------------------------------------------------------

  async #cycle(force: boolean, reason: string | undefined): Promise<{ outcome: CycleOutcome; value?: number; version?: number; detail?: string }> {
    const now = this.#d.clock.now();
    if (holdExpired(this.#mode, now)) this.#endOverride('expired', 'hold time elapsed');
    if (this.#mode.mode === 'paused' && !force) return { outcome: 'skipped', detail: 'paused' };
    if (this.#breakerUntil !== undefined && now < this.#breakerUntil) return { outcome: 'breaker-open' };
    const ac = new AbortController();
    this.#abort = ac;
    try {
      const read = await this.#call('read', (o) => this.#d.api.getCampaign(this.config.campaignId, o), ac.signal);
      this.#rec.noteRead(read);
      if (!PACED_DIALING_MODES.has(read.campaign.dialingMode)) {
        const value = pacingValueOf(read.campaign);
        this.#rec.emit({ type: 'unchanged', value: value ?? Number.NaN, recommended: value ?? Number.NaN, mode: this.#mode.mode, why: 'not-paced-dialing-mode' });
        this.#rec.decision({ outcome: 'skipped', oldValue: value ?? null, newValue: null, version: read.campaign.version ?? null, reason: 'not-paced-dialing-mode', inputs: {}, detail: `dialingMode ${read.campaign.dialingMode}` });
        return { outcome: 'skipped', detail: 'not-paced-dialing-mode' };
      }
      const stats = readStats(await this.#call('stats', (o) => this.#d.api.getStats(this.config.campaignId, o), ac.signal));
      if (!stats.ok) throw this.#malformed('stats', stats.error);
      const day0 = this.#d.dayStart(now);
      const to = Math.floor(now / 60_000) * 60_000;
      let counts = ZERO_COUNTS;
      // Analytics intervals are whole minutes; in the day's first minute there is nothing to ask.
      if (to - day0 >= 60_000) {
        const raw = await this.#call('analytics', (o) => this.#d.api.queryAbandonCounts(this.config.campaignId, day0, to, o), ac.signal);
        const checked = readCounts(raw);
        if (!checked.ok) throw this.#malformed('analytics', checked.error);
        counts = checked.value;
      }
      return await this.#decideAndWrite(read, stats.value, counts, day0, now, force, reason, ac.signal);
    } catch (e) {
      if (!(e instanceof CycleStop)) throw e;
      const outcome = e.outcome === 'cancelled' ? 'skipped' : e.outcome;
      this.#rec.decision({ outcome, oldValue: this.#rec.snap.current ?? null, newValue: null, version: this.#rec.snap.version ?? null, reason: e.code, inputs: {}, detail: e.message });
      this.#rec.snap.lastDecision = { outcome, time: now, value: undefined, reason: e.code };
      return { outcome, detail: e.message };
    } finally {
      if (this.#abort === ac) this.#abort = undefined;
    }
  }

  #malformed(stage: 'stats' | 'analytics', message: string): CycleStop {
    const code = stage === 'stats' ? 'MalformedStats' : 'MalformedCounts';
    this.#rec.emit({ type: 'error', stage, code, message });
    return new CycleStop('error', stage, code, message);
  }

  async #decideAndWrite(read: CampaignRead, stats: StatsReading, counts: AbandonCounts, day0: number, now: number, force: boolean, reason: string | undefined, signal: AbortSignal) {
    const { sample, signals, dtSec } = this.#readings.observe(stats, counts, day0, now);
    this.#rec.snap.connectRatio = ratioOf(signals.window.connects, signals.window.attempts) ?? stats.connectRatio;
    this.#rec.snap.abandonWindowPct = pctOf(signals.window.abandoned, signals.window.live);
    this.#rec.snap.abandonDayPct = pctOf(signals.day.abandoned, signals.day.live);

    const mode: TuningMode = force ? 'auto' : this.#mode.mode;
    const before = this.#ctrlState;
    let last: { d: ControllerDecision<unknown>; current: number } | undefined;
    const decide = (c: typeof read.campaign): WriteDecision => {
      const current = pacingValueOf(c) ?? this.config.bounds.min;
      const d = this.#controller.step(before, { nowMs: now, dtSec, current, bounds: this.config.bounds, signals });
      last = { d, current };
      if (mode === 'override') return { write: false, value: round2(clamp(d.value, this.config.bounds)), why: 'override-hold' };
      return writeDecisionOf(applyGuards({
        proposed: d.value, current, bounds: this.config.bounds, stepLimit: this.config.stepLimit, emergencyCut: d.emergency && this.config.emergencyCuts ? this.config.emergencyCut : undefined,
        minDelta: this.config.minDelta, mode, dialingMode: c.dialingMode,
      }));
    };
    const result: WriteResult = await writeWithRetry(read, decide, {
      api: this.#d.api, campaignId: this.config.campaignId, ifMatch: this.#d.ifMatch, maxRetries: this.#d.maxConflictRetries,
      call: (stage, fn) => this.#call(stage, fn, signal),
    });
    if (last) this.#ctrlState = last.d.state;
    this.#rec.noteRead(result.read);
    const inputs = decisionInputs(sample, signals, stats, last?.d.terms ?? {});
    const why = reason ? `${last?.d.reason ?? ''} (${reason})` : (last?.d.reason ?? '');
    const recommended = last ? round2(clamp(last.d.value, this.config.bounds)) : undefined;
    this.#rec.snap.recommended = recommended;
    const outcome = this.#rec.written(result, { mode, reason: why, by: this.#controller.name, inputs, recommended });
    this.#rec.signal({
      mode, current: last?.current ?? Number.NaN, recommended: recommended ?? Number.NaN, live: sample.live, abandoned: sample.abandoned, attempts: sample.attempts,
      connects: sample.connects, windowAbandonPct: this.#rec.snap.abandonWindowPct, dayAbandonPct: this.#rec.snap.abandonDayPct, connectRatio: this.#rec.snap.connectRatio,
      idleAgents: stats.idleAgents, adjustedCallsPerAgent: stats.adjustedCallsPerAgent, outcome,
    });
    const value = result.outcome === 'applied' ? result.value : recommended;
    this.#rec.snap.lastDecision = { outcome, time: now, value, reason: why };
    return { outcome, ...(value !== undefined ? { value } : {}), ...(result.outcome === 'applied' && result.version !== undefined ? { version: result.version } : {}) };
  }

  // ---- modes and overrides ------------------------------------------------------------------------------

  #setMode(to: 'auto' | 'paused' | 'dry-run', reason: string): CommandResult {
    if (this.#mode.mode === 'override') this.#endOverride('replaced', reason);
    const from = this.#mode.mode;
    if (from !== to) {
      this.#mode = { mode: to, override: undefined };
      this.#rec.mode(from, to, reason);
      this.#rec.emit({ type: 'mode-changed', from, to, reason });
    }
    return { ok: true, outcome: 'mode-changed', mode: to };
  }

  async #applyOverride(value: number, holdMinutes: number | undefined, reason: string): Promise<CommandResult> {
    const ac = new AbortController();
    this.#abort = ac;
    try {
      const read = await this.#call('read', (o) => this.#d.api.getCampaign(this.config.campaignId, o), ac.signal);
      this.#rec.noteRead(read);
      // The operator's value goes through the same concurrency path, clamps and min delta; it is
      // not step-limited (the operator chose the jump).
      const result = await writeWithRetry(read, (c) => writeDecisionOf(applyGuards({
        proposed: value, current: pacingValueOf(c) ?? Number.NaN, bounds: this.config.bounds, stepLimit: undefined, minDelta: this.config.minDelta, mode: 'auto', dialingMode: c.dialingMode,
      })), {
        api: this.#d.api, campaignId: this.config.campaignId, ifMatch: this.#d.ifMatch, maxRetries: this.#d.maxConflictRetries,
        call: (stage, fn) => this.#call(stage, fn, ac.signal),
      });
      this.#rec.noteRead(result.read);
      const now = this.#d.clock.now();
      if (result.outcome === 'unchanged' && result.why !== 'below-min-delta') {
        return { ok: false, code: result.why, error: `override not applied: ${result.why}`, mode: this.#mode.mode };
      }
      this.#rec.written(result, { mode: 'override', reason: `override (${reason})`, by: 'operator', inputs: {}, recommended: value });
      if (result.outcome === 'conflict') {
        return { ok: false, code: 'conflict', error: `the campaign kept changing (${result.attempts} attempts); override not applied`, mode: this.#mode.mode };
      }
      const from = this.#mode.mode;
      const holdUntil = holdUntilOf(now, holdMinutes);
      this.#mode = { mode: 'override', override: { value, holdUntil } };
      this.#rec.mode(from, 'override', reason);
      this.#rec.emit({ type: 'override-started', value, holdUntil, reason });
      this.#scheduleHold();
      const version = result.outcome === 'applied' ? result.version : result.read.campaign.version;
      return { ok: true, outcome: result.outcome, value, ...(version !== undefined ? { version } : {}), mode: 'override' };
    } catch (e) {
      if (!(e instanceof CycleStop)) throw e;
      return { ok: false, code: e.code, error: e.message, mode: this.#mode.mode };
    } finally {
      if (this.#abort === ac) this.#abort = undefined;
    }
  }

  #endOverride(why: 'expired' | 'released' | 'replaced', reason: string): void {
    if (this.#mode.mode !== 'override') return;
    this.#holdTimer?.cancel();
    // Auto resumes from whatever value is on the platform: the controller re-anchors there.
    this.#mode = { mode: 'auto', override: undefined };
    this.#rec.mode('override', 'auto', `${why}: ${reason}`);
    this.#rec.emit({ type: 'override-ended', why, reason });
  }
}

function pctOf(a: number, b: number): number | undefined {
  const r = ratioOf(a, b);
  return r === undefined ? undefined : 100 * r;
}

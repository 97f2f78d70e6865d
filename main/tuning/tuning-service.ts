// The tuning service core starts: one loop per tuned campaign, staggered within the request
// budget, sharing one audit trail, one event stream and one drift sink. Host-agnostic: the
// Electron shell, the headless host and tests build it the same way.
//
//   const svc = createTuningService({ api: createCampaignApi(client), campaigns, auditDir, clock, logger, sink });
//   svc.on((e) => bridge.send('tuning', e));
//   svc.start();
//   await svc.override('c-1', 2.4, 30, 'supervisor request');
import { systemClock, type Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/log.ts';
import { AuditLog } from './audit-log.ts';
import type { CampaignApi } from './campaign-api.ts';
import { campaignTuningConfig, type CampaignTuningConfig, type CampaignTuningInput } from './campaign-config.ts';
import { CampaignLoop } from './campaign-loop.ts';
import { NULL_DRIFT_SINK, safeSink, type DriftSink } from './drift-sink.ts';
import { TuningEvents, type TuningListener } from './events.ts';
import type { CampaignSnapshot, CommandResult, CycleOutcome } from './loop-types.ts';
import { planSchedule, RequestBudget } from './rate-budget.ts';

export interface TuningServiceOptions {
  api: CampaignApi;
  /** One entry per tuned campaign (from settings: see configFromSettings). */
  campaigns: Array<CampaignTuningConfig | CampaignTuningInput>;
  /** Where the audit trail lives (the data directory). */
  auditDir: string;
  clock?: Clock;
  logger?: Logger;
  sink?: DriftSink;
  /** Start jitter source (tests pass a seeded one). */
  random?: () => number;
  /** The token's request budget (300/min on Genesys Cloud). */
  requestBudgetPerMinute?: number;
  /** Share of the budget the tuning plan may use; the rest is headroom for retries and other features. */
  budgetShare?: number;
  audit?: { maxBytes?: number; maxFiles?: number };
  /** Start of the campaign day containing a time; UTC midnight by default. */
  dayStart?: (nowMs: number) => number;
  /** Send If-Match with the read ETag (`when-given`, default) or rely on `version` alone (`never`). */
  ifMatch?: 'when-given' | 'never';
  /** Re-read and retry after a 409/412 this many times per cycle (3). */
  maxConflictRetries?: number;
  /** A 429 asking for longer than this ends the cycle instead of waiting (180 s). */
  maxRetryAfterMs?: number;
  /** Wait after a 429 without Retry-After (3 s). */
  defaultRetryAfterMs?: number;
}

export interface TuningSnapshot {
  running: boolean;
  campaigns: CampaignSnapshot[];
  budgetPerMinute: number;
  requestsLastMinute: number;
  /** The plan stretched the configured intervals to fit the budget. */
  intervalsStretched: boolean;
}

export interface TuningService {
  start(): void;
  stop(): Promise<void>;
  snapshot(): TuningSnapshot;
  on(listener: TuningListener): () => void;
  pause(campaignId: string, reason?: string): Promise<CommandResult>;
  resume(campaignId: string, reason?: string): Promise<CommandResult>;
  setDryRun(campaignId: string, on: boolean, reason?: string): Promise<CommandResult>;
  /** Applies `value` once through the concurrency path and holds it for `holdMinutes` (until released when omitted or 0). */
  override(campaignId: string, value: number, holdMinutes?: number, reason?: string): Promise<CommandResult>;
  release(campaignId: string, reason?: string): Promise<CommandResult>;
  applyRecommendationNow(campaignId: string, reason?: string): Promise<CommandResult>;
  /** Runs one cycle of a campaign now (headless "tick", tests). */
  runCycle(campaignId: string): Promise<{ outcome: CycleOutcome; value?: number; version?: number; detail?: string }>;
}

/** Requests one cycle makes when nothing goes wrong: campaign, stats, analytics, PUT. */
export const REQUESTS_PER_CYCLE = 4;

export function utcDayStart(nowMs: number): number {
  return Math.floor(nowMs / 86_400_000) * 86_400_000;
}

export function createTuningService(o: TuningServiceOptions): TuningService {
  const clock = o.clock ?? systemClock;
  const logger = (o.logger ?? silentLogger).child({ component: 'tuning' });
  const events = new TuningEvents(logger);
  const audit = new AuditLog({ dir: o.auditDir, ...o.audit });
  const budget = new RequestBudget(o.requestBudgetPerMinute ?? 300, clock);
  const sink = safeSink(o.sink ?? NULL_DRIFT_SINK, logger);
  const configs = o.campaigns.map((c) => campaignTuningConfig(c));
  const ids = new Set<string>();
  for (const c of configs) {
    if (ids.has(c.campaignId)) throw new RangeError(`campaign ${c.campaignId} is configured twice`);
    ids.add(c.campaignId);
  }
  const recovered = audit.recoverModes();
  const loops = new Map<string, CampaignLoop>();
  for (const c of configs) {
    loops.set(c.campaignId, new CampaignLoop(c, {
      api: o.api, clock, audit, events, sink, budget,
      dayStart: o.dayStart ?? utcDayStart,
      ifMatch: o.ifMatch ?? 'when-given',
      maxConflictRetries: o.maxConflictRetries ?? 3,
      maxRetryAfterMs: o.maxRetryAfterMs ?? 180_000,
      defaultRetryAfterMs: o.defaultRetryAfterMs ?? 3_000,
    }, recovered.get(c.campaignId)));
  }
  // Every decision is one JSON log line (the headless host's output).
  events.on((e) => logger.info(`tuning ${e.type}`, { ...e }));

  let running = false;
  let stretched = false;
  const unknown = (id: string): Promise<CommandResult> =>
    Promise.resolve({ ok: false, code: 'UnknownCampaign', error: `campaign ${id} is not tuned by Pacekeeper`, mode: 'paused' });
  const withLoop = (id: string, f: (l: CampaignLoop) => Promise<CommandResult>) => {
    const l = loops.get(id);
    return l ? f(l) : unknown(id);
  };

  return {
    start() {
      if (running) return;
      running = true;
      const list = [...loops.values()];
      const plan = planSchedule(list.map((l) => l.config.intervalSec), REQUESTS_PER_CYCLE, budget.perMinute, o.random ?? Math.random, {
        ...(o.budgetShare !== undefined ? { budgetShare: o.budgetShare } : {}),
      });
      stretched = plan.stretched;
      if (plan.stretched) logger.warn('tuning intervals stretched to fit the request budget', { plannedPerMinute: plan.plannedPerMinute, budget: budget.perMinute });
      list.forEach((l, i) => l.start(plan.offsetsMs[i]!, plan.intervalsSec[i]!));
    },
    async stop() {
      running = false;
      await Promise.all([...loops.values()].map((l) => l.stop()));
    },
    snapshot: () => ({
      running,
      campaigns: [...loops.values()].map((l) => l.snapshot()),
      budgetPerMinute: budget.perMinute,
      requestsLastMinute: budget.used,
      intervalsStretched: stretched,
    }),
    on: (listener) => events.on(listener),
    pause: (id, reason = 'operator paused') => withLoop(id, (l) => l.pause(reason)),
    resume: (id, reason = 'operator resumed') => withLoop(id, (l) => l.resume(reason)),
    setDryRun: (id, on, reason = on ? 'operator chose dry-run' : 'operator left dry-run') => withLoop(id, (l) => l.setDryRun(on, reason)),
    override: (id, value, holdMinutes, reason = 'operator override') => withLoop(id, (l) => l.override(value, holdMinutes, reason)),
    release: (id, reason = 'operator released the override') => withLoop(id, (l) => l.release(reason)),
    applyRecommendationNow: (id, reason = 'operator applied the recommendation') => withLoop(id, (l) => l.applyRecommendationNow(reason)),
    runCycle(id) {
      const l = loops.get(id);
      if (!l) return Promise.resolve({ outcome: 'error' as const, detail: `campaign ${id} is not tuned by Pacekeeper` });
      return l.runCycle();
    },
  };
}

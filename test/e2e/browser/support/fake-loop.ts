// The tuning side of FakeCore: per-campaign signals, a simple controller, modes (auto, paused,
// dry run, override with a hold) and the write path with re-read-and-retry on 409, producing the
// contract's CampaignView, Decision, HistoryPoint and event-log entries. Deterministic (seeded).
import type { CampaignView, CommandOutcome, Decision, EventLogEntry, HistoryPoint } from '../../../../preload/contract.ts';
import type { FakeCampaign, FakePlatform } from './fake-platform.ts';

export type LogInput = Omit<EventLogEntry, 'id' | 'at'>;

export interface LoopState {
  id: string;
  mode: CampaignView['mode'];
  min: number;
  max: number;
  setpointPct: number;
  ceilingPct: number;
  connectRatio: number;
  abandonWindowPct: number;
  abandonDayPct: number;
  recommended: number | null;
  hold: { value: number; until: number } | null;
  lastDecision: Decision | null;
  counters: CampaignView['counters'];
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function tunable(c: FakeCampaign): boolean {
  return c.campaignStatus === 'on' && (c.dialingMode === 'predictive' || c.dialingMode === 'power');
}

export function newLoopState(c: FakeCampaign, random: () => number): LoopState {
  const s: LoopState = {
    id: c.id,
    mode: c.dialingMode === 'power' ? 'dry-run' : 'auto',
    min: 1,
    max: 3,
    setpointPct: 2.5,
    ceilingPct: 3,
    connectRatio: 0.25 + random() * 0.15,
    abandonWindowPct: 1.2 + random() * 1.4,
    abandonDayPct: 1.6 + random() * 0.8,
    recommended: null,
    hold: null,
    lastDecision: null,
    counters: { applied: 0, conflicts: 0, rateLimited: 0, errors: 0 },
  };
  s.recommended = recommend(s, c.pacing);
  return s;
}

/** The controller: nudge the pacing value towards the abandon setpoint, within the bounds. */
export function recommend(s: LoopState, current: number): number {
  return round2(clamp(current * (1 + 0.15 * ((s.setpointPct - s.abandonWindowPct) / s.setpointPct)), s.min, s.max));
}

/** One cycle's signals: bounded random walks. */
export function stepSignals(s: LoopState, random: () => number): void {
  s.connectRatio = clamp(s.connectRatio + (random() - 0.5) * 0.02, 0.15, 0.5);
  // Mean-reverting around 2.2%, so most cycles sit under the ceiling and some cross it.
  s.abandonWindowPct = clamp(s.abandonWindowPct + (random() - 0.5) * 0.5 + 0.08 * (2.2 - s.abandonWindowPct), 0.2, 4.5);
  s.abandonDayPct = round2(s.abandonDayPct * 0.98 + s.abandonWindowPct * 0.02);
}

export interface WriteOutcome {
  decision: Decision;
  logs: LogInput[];
}

/**
 * The write path: read (value + version), write with that version; on 409 re-read and retry once
 * (bounded, as the real loop does); 429 is recorded and not retried this cycle.
 */
export function writePacing(platform: FakePlatform, s: LoopState, name: string, value: number, at: string): WriteOutcome {
  const logs: LogInput[] = [];
  const base = { campaignId: s.id, campaignName: name };
  let read = platform.read(s.id);
  const oldValue = read?.pacing ?? null;
  if (read && read.pacing === value) {
    return { decision: { at, outcome: 'unchanged', oldValue, newValue: value, version: read.version, message: 'Already at this value; nothing written.' }, logs };
  }
  for (let attempt = 0; attempt < 2 && read; attempt++) {
    const r = platform.write(s.id, read.version, value);
    if (r.ok) {
      s.counters.applied++;
      const retried = attempt > 0 ? ' after re-reading the campaign once (409)' : '';
      return { decision: { at, outcome: 'applied', oldValue, newValue: value, version: r.version, message: `Wrote maxCallsPerAgentDecimal ${value.toFixed(2)}${retried}.` }, logs };
    }
    if (r.status === 429) {
      s.counters.rateLimited++;
      logs.push({ ...base, kind: 'rate-limited', severity: 'warning', message: 'The platform answered 429 (rate limit); the write waits for the next cycle.' });
      return { decision: { at, outcome: 'rate-limited', oldValue, newValue: value, version: read.version, message: 'Rate-limited (429); not written.' }, logs };
    }
    if (r.status === 409) {
      s.counters.conflicts++;
      logs.push({ ...base, kind: 'conflict', severity: 'warning', message: `Version ${read.version} was stale: the campaign changed on the platform (409). Re-read and ${attempt === 0 ? 'retried' : 'gave up for this cycle'}.` });
      read = platform.read(s.id);
      continue;
    }
    break;
  }
  s.counters.errors++;
  const outcome = read ? 'conflict' : 'error';
  return { decision: { at, outcome, oldValue, newValue: value, version: read?.version ?? null, message: outcome === 'conflict' ? 'Still conflicting after a retry; the next cycle re-reads.' : 'Campaign not found.' }, logs };
}

export function campaignView(c: FakeCampaign, s: LoopState): CampaignView {
  return {
    id: c.id,
    name: c.name,
    dialingMode: c.dialingMode,
    campaignStatus: c.campaignStatus,
    mode: s.mode,
    controller: 'compliance',
    field: 'maxCallsPerAgentDecimal',
    current: c.pacing,
    recommended: tunable(c) ? s.recommended : null,
    min: s.min,
    max: s.max,
    connectRatio: tunable(c) ? round4(s.connectRatio) : null,
    abandonWindowPct: tunable(c) ? round2(s.abandonWindowPct) : null,
    abandonDayPct: tunable(c) ? s.abandonDayPct : null,
    setpointPct: s.setpointPct,
    ceilingPct: s.ceilingPct,
    platformPacing: tunable(c) ? c.pacing : 0,
    lastDecision: s.lastDecision,
    hold: s.hold ? { value: s.hold.value, until: new Date(s.hold.until).toISOString() } : null,
    breakerOpenUntil: null,
    counters: { ...s.counters },
  };
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

export function historyPoint(t: number, c: FakeCampaign, s: LoopState): HistoryPoint {
  return { t, applied: c.pacing, recommended: tunable(c) ? s.recommended : null, abandonPct: tunable(c) ? round2(s.abandonWindowPct) : null };
}

export function outcome(s: LoopState, message: string, decision: Decision | null = null): CommandOutcome {
  return { campaignId: s.id, mode: s.mode, decision, message };
}

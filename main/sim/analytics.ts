// POST /api/v2/analytics/conversations/aggregates/query, enough for a pacing tuner: the outbound
// count metrics per campaign over an interval, split by granularity, grouped and filtered by
// dimension. Like the platform, metrics with no data are left out, empty intervals and groups are
// dropped, and a query with no data at all answers `{}`. Pure apart from the `counts` callback.
import { ConversationAggregationQuerySchema, type ConversationAggregateQueryResponse, type ConversationAggregationQuery } from '../genesys/models.ts';
import type { Counts } from './dialer/index.ts';
import { genesysError } from './errors.ts';
import { zodToHttpError } from './campaign-rules.ts';

/** Conversation aggregate metric names the platform knows (a subset of the SDK enum). */
const KNOWN_METRICS = new Set([
  'nBlindTransferred', 'nConnected', 'nConsult', 'nConsultTransferred', 'nError', 'nOffered', 'nOutbound',
  'nOutboundAbandoned', 'nOutboundAttempted', 'nOutboundConnected', 'nOverSla', 'nStateTransitionError', 'nTransferred',
  'oExternalMediaCount', 'oMediaCount', 'oServiceLevel', 'oServiceTarget', 'tAbandon', 'tAcd', 'tAcw', 'tAgentResponseTime',
  'tAlert', 'tAnswered', 'tContacting', 'tDialing', 'tFlowOut', 'tHandle', 'tHeld', 'tHeldComplete', 'tIvr', 'tMonitoring',
  'tNotResponding', 'tShortAbandon', 'tTalk', 'tTalkComplete', 'tUserResponseTime', 'tVoicemail', 'tWait',
]);

/** The metrics the dialer model produces, and where each comes from. */
const MODELLED: Record<string, (c: Counts) => number> = {
  nOutboundAttempted: (c) => c.dials,
  nOutboundConnected: (c) => c.live, // live voice reached: the abandon-rate denominator
  nOutboundAbandoned: (c) => c.abandoned,
  nConnected: (c) => c.connected,
};

const MAX_BUCKETS = 1440;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const DIMENSION = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** One row of source data: a campaign with its dimensions. */
export interface AggregateRow {
  dims: Record<string, string>;
  counts(fromMs: number, toMs: number): Counts;
}

type Filter = NonNullable<ConversationAggregationQuery['filter']>;
type Predicate = NonNullable<Filter['predicates']>[number];

export function parseInterval(s: string): { startMs: number; endMs: number } {
  const parts = s.split('/');
  const [a, b] = parts;
  const start = a && ISO_INSTANT.test(a) ? Date.parse(a) : NaN;
  const end = b && ISO_INSTANT.test(b) ? Date.parse(b) : NaN;
  if (parts.length !== 2 || Number.isNaN(start) || Number.isNaN(end)) {
    throw genesysError('invalidDate', { message: `Invalid interval [${s.slice(0, 100)}]: use ISO-8601 start/end, e.g. 2026-01-05T08:00:00.000Z/2026-01-05T09:00:00.000Z`, details: [{ fieldName: 'interval' }] });
  }
  if (end <= start) throw genesysError('invalidValue', { message: 'The interval end must be after its start.', details: [{ fieldName: 'interval' }] });
  return { startMs: start, endMs: end };
}

export function parseDurationMs(s: string): number {
  const m = ISO_DURATION.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) {
    throw genesysError('invalidValue', { message: `Invalid granularity [${s.slice(0, 50)}]: use an ISO-8601 duration such as PT15M, PT1H or P1D`, details: [{ fieldName: 'granularity' }] });
  }
  const [, w, d, h, min, sec] = m.map((x) => Number(x ?? 0));
  return (((w as number) * 7 + (d as number)) * 86_400 + (h as number) * 3600 + (min as number) * 60 + (sec as number)) * 1000;
}

function validatePredicate(p: Predicate): void {
  if (p.type === 'metric' || p.type === 'property' || p.metric !== undefined) {
    throw genesysError('badRequest', { message: 'The simulator supports dimension predicates only.', details: [{ fieldName: 'filter' }] });
  }
  if (!p.dimension || !DIMENSION.test(p.dimension)) {
    throw genesysError('invalidValue', { message: 'A dimension predicate needs a dimension.', details: [{ fieldName: 'filter.predicates.dimension' }] });
  }
  if ((p.operator ?? 'matches') === 'matches' && p.value === undefined) {
    throw genesysError('invalidValue', { message: `The predicate on [${p.dimension}] needs a value.`, details: [{ fieldName: 'filter.predicates.value' }] });
  }
}

function matches(p: Predicate, dims: Record<string, string>): boolean {
  const v = dims[p.dimension as string];
  switch (p.operator ?? 'matches') {
    case 'exists':
      return v !== undefined;
    case 'notExists':
      return v === undefined;
    default:
      return v !== undefined && v === p.value;
  }
}

function evalGroup(type: 'and' | 'or', results: boolean[]): boolean {
  if (results.length === 0) return true;
  return type === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function passes(f: Filter | undefined, dims: Record<string, string>): boolean {
  if (!f) return true;
  const own = (f.predicates ?? []).map((p) => matches(p, dims));
  const clauses = (f.clauses ?? []).map((c) => evalGroup(c.type, c.predicates.map((p) => matches(p, dims))));
  return evalGroup(f.type, [...own, ...clauses]);
}

/** Validates the body (400s in the platform's shapes) and returns the parsed query. */
export function parseAggregateQuery(body: unknown): ConversationAggregationQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw genesysError('badRequest', { message: 'The request body must be a ConversationAggregationQuery object.' });
  }
  const parsed = ConversationAggregationQuerySchema.safeParse(body);
  if (!parsed.success) throw zodToHttpError(parsed.error);
  const q = parsed.data;
  for (const m of q.metrics) {
    if (!KNOWN_METRICS.has(m)) throw genesysError('invalidValue', { message: `Unknown metric [${m.slice(0, 50)}]`, details: [{ fieldName: 'metrics' }] });
  }
  for (const g of q.groupBy ?? []) {
    if (!DIMENSION.test(g)) throw genesysError('invalidValue', { message: `Invalid groupBy dimension [${g.slice(0, 50)}]`, details: [{ fieldName: 'groupBy' }] });
  }
  for (const p of q.filter?.predicates ?? []) validatePredicate(p);
  for (const c of q.filter?.clauses ?? []) c.predicates.forEach(validatePredicate);
  return q;
}

export function runAggregateQuery(q: ConversationAggregationQuery, rows: AggregateRow[]): ConversationAggregateQueryResponse {
  const { startMs, endMs } = parseInterval(q.interval);
  const stepMs = q.granularity ? parseDurationMs(q.granularity) : endMs - startMs;
  if (stepMs < 60_000) throw genesysError('invalidValue', { message: 'The granularity must be at least PT1M.', details: [{ fieldName: 'granularity' }] });
  if ((endMs - startMs) / stepMs > MAX_BUCKETS) {
    throw genesysError('invalidValue', { message: `The interval holds more than ${MAX_BUCKETS} granularity buckets.`, details: [{ fieldName: 'granularity' }] });
  }
  const metrics = q.metrics.filter((m) => MODELLED[m]);
  const groups = new Map<string, { group: Record<string, string>; rows: AggregateRow[] }>();
  for (const row of rows) {
    if (!passes(q.filter, row.dims)) continue;
    const group: Record<string, string> = {};
    for (const g of q.groupBy ?? []) if (row.dims[g] !== undefined) group[g] = row.dims[g] as string;
    const key = JSON.stringify(group);
    const entry = groups.get(key) ?? { group, rows: [] };
    entry.rows.push(row);
    groups.set(key, entry);
  }
  const results: NonNullable<ConversationAggregateQueryResponse['results']> = [];
  for (const { group, rows: members } of groups.values()) {
    const data = [];
    for (let from = startMs; from < endMs; from += stepMs) {
      const to = Math.min(endMs, from + stepMs);
      const totals = new Map<string, number>();
      for (const r of members) {
        const c = r.counts(from, to);
        for (const m of metrics) totals.set(m, (totals.get(m) ?? 0) + (MODELLED[m] as (c: Counts) => number)(c));
      }
      const out = metrics.filter((m) => (totals.get(m) ?? 0) > 0).map((m) => ({ metric: m, stats: { count: totals.get(m) as number } }));
      if (out.length > 0) data.push({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}`, metrics: out });
    }
    if (data.length > 0) results.push({ ...(Object.keys(group).length ? { group } : {}), data });
  }
  return results.length > 0 ? { results } : {};
}

// /api/v2/outbound/campaigns: list (paged), get, PUT (full, versioned), PATCH (partial, last
// writer wins) and stats. Responses carry the campaign's ETag.
import type { Campaign, CampaignEntityListing } from '../../genesys/models.ts';
import type { RequestContext, RouteSpec } from '../core.ts';
import { bump } from '../counters.ts';
import { genesysError, SimHttpError } from '../errors.ts';
import type { HandlerResult } from '../http-io.ts';
import type { Router } from '../router.ts';
import { etagOf } from '../campaign-store.ts';
import { campaignStats } from '../campaign-stats.ts';

const BASE = '/api/v2/outbound/campaigns';
const SORTABLE = new Set(['name', 'dateCreated', 'dateModified', 'campaignStatus', 'dialingMode', 'id']);

function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw genesysError('invalidValue', { message: `Value [${raw.slice(0, 30)}] is not valid for field [${name}]; it must be an integer from ${min} to ${max}.`, details: [{ fieldName: name }] });
  }
  return n;
}

function list(ctx: RequestContext): HandlerResult {
  const q = ctx.url.searchParams;
  const pageSize = intParam(q, 'pageSize', 25, 1, 100);
  const pageNumber = intParam(q, 'pageNumber', 1, 1, 1_000_000);
  const sortBy = q.get('sortBy');
  const sortOrder = (q.get('sortOrder') ?? 'ascending').toLowerCase();
  if (sortBy !== null && !SORTABLE.has(sortBy)) throw genesysError('invalidValue', { message: `Cannot sort by [${sortBy.slice(0, 30)}]`, details: [{ fieldName: 'sortBy' }] });
  if (!['ascending', 'descending', 'asc', 'desc'].includes(sortOrder)) throw genesysError('invalidValue', { message: 'sortOrder must be ascending or descending', details: [{ fieldName: 'sortOrder' }] });

  let items = ctx.core.store.list();
  const name = q.get('name');
  if (name) items = items.filter((c) => c.name.toLowerCase().includes(name.toLowerCase()));
  const ids = q.getAll('id');
  if (ids.length) items = items.filter((c) => ids.includes(c.id as string));
  const lists = q.getAll('contactListId');
  if (lists.length) items = items.filter((c) => lists.includes(c.contactList.id ?? ''));
  const divisions = q.getAll('divisionId');
  if (divisions.length) items = items.filter((c) => divisions.includes(c.division?.id ?? ''));
  if (sortBy) {
    const key = sortBy as keyof Campaign;
    const dir = sortOrder.startsWith('desc') ? -1 : 1;
    items.sort((a, b) => dir * String(a[key] ?? '').localeCompare(String(b[key] ?? '')));
  }

  const total = items.length;
  const pageCount = Math.ceil(total / pageSize);
  const page = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const uri = (n: number) => {
    const p = new URLSearchParams(q);
    p.set('pageSize', String(pageSize));
    p.set('pageNumber', String(n));
    return `${BASE}?${p.toString()}`;
  };
  const body: CampaignEntityListing = {
    entities: page,
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(Math.max(1, pageCount)),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: uri(Math.min(pageNumber - 1, Math.max(1, pageCount))) } : {}),
  };
  return { status: 200, body };
}

function notFound(id: string): SimHttpError {
  return genesysError('notFound', { message: `The campaign ${id.slice(0, 100)} was not found.`, entityId: id.slice(0, 100) });
}

function get(ctx: RequestContext): HandlerResult {
  const id = ctx.params.campaignId as string;
  const c = ctx.core.store.get(id);
  if (!c) throw notFound(id);
  return { status: 200, body: c, headers: { etag: etagOf(c) } };
}

/** Counts 409/412 per campaign so tests can see the conflicts a client ran into. */
function countingConflicts<T>(ctx: RequestContext, id: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SimHttpError && (e.status === 409 || e.status === 412)) bump(ctx.core.counters.conflictsByCampaign, id);
    throw e;
  }
}

async function put(ctx: RequestContext): Promise<HandlerResult> {
  const id = ctx.params.campaignId as string;
  if (!ctx.core.store.get(id)) throw notFound(id);
  const body = await ctx.json();
  const useDecimal = (ctx.url.searchParams.get('useMaxCallsPerAgentDecimal') ?? '').toLowerCase() === 'true';
  const updated = countingConflicts(ctx, id, () =>
    ctx.core.store.put(id, body ?? null, { ifMatch: header(ctx, 'if-match'), useDecimal }),
  );
  bump(ctx.core.counters.putsByCampaign, id);
  return { status: 200, body: updated, headers: { etag: etagOf(updated) } };
}

async function patch(ctx: RequestContext): Promise<HandlerResult> {
  const id = ctx.params.campaignId as string;
  if (!ctx.core.store.get(id)) throw notFound(id);
  const body = await ctx.json();
  const updated = countingConflicts(ctx, id, () => ctx.core.store.patch(id, body ?? null, { ifMatch: header(ctx, 'if-match') }));
  bump(ctx.core.counters.patchesByCampaign, id);
  // The platform answers PATCH with no body; the ETag lets a client skip a re-read.
  return { status: 204, headers: { etag: etagOf(updated) } };
}

function stats(ctx: RequestContext): HandlerResult {
  const id = ctx.params.campaignId as string;
  const c = ctx.core.store.get(id);
  const model = ctx.core.dialers.model(id);
  if (!c || !model) throw notFound(id);
  return { status: 200, body: campaignStats(c, model.snapshot()) };
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function registerCampaignRoutes(router: Router<RouteSpec>): void {
  router.add('GET', BASE, { auth: 'token', handle: list });
  router.add('GET', `${BASE}/{campaignId}`, { auth: 'token', handle: get });
  router.add('PUT', `${BASE}/{campaignId}`, { auth: 'token', handle: put });
  router.add('PATCH', `${BASE}/{campaignId}`, { auth: 'token', handle: patch });
  router.add('GET', `${BASE}/{campaignId}/stats`, { auth: 'token', handle: stats });
}

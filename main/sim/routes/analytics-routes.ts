// POST /api/v2/analytics/conversations/aggregates/query, answered from the campaigns' dialer models.
import type { RequestContext, RouteSpec } from '../core.ts';
import type { HandlerResult } from '../http-io.ts';
import { requireBody } from '../http-io.ts';
import type { Router } from '../router.ts';
import { parseAggregateQuery, runAggregateQuery, type AggregateRow } from '../analytics.ts';
import { zeroCounts } from '../dialer/index.ts';

async function aggregates(ctx: RequestContext): Promise<HandlerResult> {
  const query = parseAggregateQuery(requireBody(await ctx.json()));
  const { store, dialers } = ctx.core;
  const rows: AggregateRow[] = store.list().map((c) => ({
    dims: {
      outboundCampaignId: c.id as string,
      outboundContactListId: c.contactList.id ?? '',
      ...(c.queue?.id ? { queueId: c.queue.id } : {}),
      ...(c.division?.id ? { divisionId: c.division.id } : {}),
      mediaType: 'voice',
      direction: 'outbound',
      originatingDirection: 'outbound',
    },
    counts: (from, to) => dialers.counts(c.id as string, from, to) ?? zeroCounts(),
  }));
  return { status: 200, body: runAggregateQuery(query, rows) };
}

export function registerAnalyticsRoutes(router: Router<RouteSpec>): void {
  router.add('POST', '/api/v2/analytics/conversations/aggregates/query', { auth: 'token', handle: aggregates });
}

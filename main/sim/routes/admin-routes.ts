// /__sim/…: the SimControl operations over HTTP, for scripts and for a simulator in another
// process (`pacekeeper sim`). The server admits only loopback peers here, authenticated with the
// admin token (Bearer) or the sandbox client credentials (Basic). See docs/simulator.md.
import { z } from 'zod';
import { CampaignSchema } from '../../genesys/models.ts';
import type { SimControl } from '../control.ts';
import type { RequestContext, RouteSpec } from '../core.ts';
import { genesysError } from '../errors.ts';
import { FaultSpecSchema } from '../faults.ts';
import type { HandlerResult } from '../http-io.ts';
import type { Router } from '../router.ts';
import { zodToHttpError } from '../campaign-rules.ts';

const TokenBody = z.strictObject({ token: z.string().min(1).max(500).optional() }).optional();
const RateBody = z.strictObject({ perMinute: z.number().int().min(1).max(1_000_000) });
const ClosingBody = z.strictObject({ channelId: z.string().min(1).max(200).optional(), graceMs: z.number().int().min(0).max(86_400_000).optional() }).optional();
const AdvanceBody = z.strictObject({ ms: z.number().int().min(0).max(30 * 86_400_000) });
const EventBody = z.strictObject({ topic: z.string().min(1).max(300), eventBody: z.unknown() });
const LifetimeBody = z.strictObject({ seconds: z.number().int().min(1).max(30 * 86_400) });
const BumpBody = CampaignSchema.partial().omit({ id: true, version: true, selfUri: true }).strict().optional();

async function parse<T extends z.ZodType>(ctx: RequestContext, schema: T): Promise<z.infer<T>> {
  const r = schema.safeParse(await ctx.json());
  if (!r.success) throw zodToHttpError(r.error);
  return r.data;
}

const ok = (body?: unknown): HandlerResult => (body === undefined ? { status: 204 } : { status: 200, body });

export function registerAdminRoutes(router: Router<RouteSpec>, control: SimControl): void {
  const add = (method: string, path: string, handle: (ctx: RequestContext) => Promise<HandlerResult> | HandlerResult) =>
    router.add(method, `/__sim${path}`, { auth: 'admin', handle });

  add('GET', '/state', () =>
    ok({
      now: new Date(control.now()).toISOString(),
      manualClock: control.manualClock,
      rateLimitPerMinute: control.rateLimit,
      faults: control.faults(),
      counters: control.counters(),
      campaigns: control.listCampaigns().map((s) => ({ id: s.campaign.id, name: s.campaign.name, version: s.campaign.version, campaignStatus: s.campaign.campaignStatus, dialingMode: s.campaign.dialingMode, scenario: s.scenario, dialing: s.dialing, stats: s.stats })),
      channels: control.channels(),
    }),
  );
  add('GET', '/counters', () => ok(control.counters()));
  add('DELETE', '/counters', () => {
    control.resetCounters();
    return ok();
  });
  add('GET', '/campaigns', () => ok({ entities: control.listCampaigns() }));
  add('GET', '/campaigns/{campaignId}', (ctx) => {
    const s = control.campaign(ctx.params.campaignId as string);
    if (!s) throw genesysError('notFound');
    return ok(s);
  });
  add('POST', '/campaigns/{campaignId}/bump-version', async (ctx) => {
    const changes = await parse(ctx, BumpBody);
    return ok(control.bumpVersion(ctx.params.campaignId as string, changes ?? {}));
  });
  add('GET', '/users', () => ok({ entities: control.users() }));
  add('GET', '/queues', () => ok({ entities: control.queues() }));
  add('GET', '/faults', () => ok(control.faults()));
  add('POST', '/faults', async (ctx) => {
    const spec = await parse(ctx, FaultSpecSchema);
    try {
      control.injectFaults(spec);
    } catch (e) {
      throw genesysError('invalidValue', { message: `Bad fault spec: ${e instanceof Error ? e.message.slice(0, 200) : 'invalid'}` });
    }
    return ok(control.faults());
  });
  add('DELETE', '/faults', () => {
    control.clearFaults();
    return ok();
  });
  add('POST', '/tokens/revoke', async (ctx) => ok({ count: control.revokeTokens((await parse(ctx, TokenBody))?.token) }));
  add('POST', '/tokens/expire', async (ctx) => ok({ count: control.expireTokens((await parse(ctx, TokenBody))?.token) }));
  add('PUT', '/tokens/lifetime', async (ctx) => {
    const { seconds } = await parse(ctx, LifetimeBody);
    control.setTokenLifetime(seconds);
    return ok({ seconds });
  });
  add('PUT', '/rate-limit', async (ctx) => {
    const { perMinute } = await parse(ctx, RateBody);
    control.setRateLimit(perMinute);
    return ok({ perMinute });
  });
  add('GET', '/channels', () => ok({ entities: control.channels() }));
  add('POST', '/channels/socket-closing', async (ctx) => {
    const b = (await parse(ctx, ClosingBody)) ?? {};
    return ok({ count: control.socketClosing({ ...(b.channelId ? { channelId: b.channelId } : {}), ...(b.graceMs !== undefined ? { graceMs: b.graceMs } : {}) }) });
  });
  add('DELETE', '/channels', () => ok({ count: control.closeChannels() }));
  add('DELETE', '/channels/{channelId}', (ctx) => {
    const n = control.closeChannels(ctx.params.channelId as string);
    if (n === 0) throw genesysError('notFound');
    return ok({ count: n });
  });
  add('POST', '/events', async (ctx) => {
    const { topic, eventBody } = await parse(ctx, EventBody);
    return ok({ delivered: control.publish(topic, eventBody) });
  });
  add('GET', '/clock', () => ok({ now: control.now(), iso: new Date(control.now()).toISOString(), manual: control.manualClock }));
  add('POST', '/clock/advance', async (ctx) => {
    const { ms } = await parse(ctx, AdvanceBody);
    if (!control.manualClock) throw genesysError('conflict', { message: 'The simulator clock is not a ManualClock; virtual time cannot be advanced.' });
    await control.advance(ms);
    return ok({ now: control.now(), iso: new Date(control.now()).toISOString() });
  });
}

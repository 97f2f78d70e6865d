// /api/v2/notifications/channels and their subscriptions (notes C.1).
import { SubscriptionRequestSchema, type Channel } from '../../genesys/models.ts';
import type { RequestContext, RouteSpec } from '../core.ts';
import { genesysError } from '../errors.ts';
import type { HandlerResult } from '../http-io.ts';
import type { ChannelRecord } from '../notifications/channel-registry.ts';
import type { Router } from '../router.ts';
import { zodToHttpError } from '../campaign-rules.ts';

const BASE = '/api/v2/notifications/channels';

function channelView(ctx: RequestContext, ch: ChannelRecord): Channel {
  return { connectUri: ctx.core.channels.connectUri(ch.id), id: ch.id, expires: new Date(ch.expiresAt).toISOString() };
}

/** A channel of the caller's OAuth client; anything else is a 404 (ids are not enumerable). */
function ownChannel(ctx: RequestContext): ChannelRecord {
  const id = ctx.params.channelId as string;
  const ch = ctx.core.channels.get(id);
  if (!ch || ch.clientId !== ctx.token?.clientId) {
    throw genesysError('notFound', { message: `The channel ${id.slice(0, 100)} was not found.`, entityId: id.slice(0, 100) });
  }
  return ch;
}

function create(ctx: RequestContext): HandlerResult {
  const ch = ctx.core.channels.create(ctx.token as NonNullable<RequestContext['token']>);
  return { status: 200, body: channelView(ctx, ch) };
}

function listChannels(ctx: RequestContext): HandlerResult {
  const scope = ctx.url.searchParams.get('includechannels') ?? 'token';
  if (scope !== 'token' && scope !== 'oauthclient') {
    throw genesysError('invalidValue', { message: 'includechannels must be token or oauthclient', details: [{ fieldName: 'includechannels' }] });
  }
  const token = ctx.token as NonNullable<RequestContext['token']>;
  const mine = ctx.core.channels
    .list()
    .filter((c) => (scope === 'token' ? c.token === token.token : c.clientId === token.clientId));
  return { status: 200, body: { entities: mine.map((c) => channelView(ctx, c)) } };
}

function head(ctx: RequestContext): HandlerResult {
  ownChannel(ctx);
  return { status: 200 };
}

function getSubscriptions(ctx: RequestContext): HandlerResult {
  const ch = ownChannel(ctx);
  return { status: 200, body: { entities: ctx.core.channels.topicsOf(ch) } };
}

async function topicsFromBody(ctx: RequestContext): Promise<string[]> {
  const body = await ctx.json();
  if (!Array.isArray(body)) throw genesysError('badRequest', { message: 'The request body must be a list of topics, e.g. [{"id":"v2.users.{id}.presence"}].' });
  const parsed = SubscriptionRequestSchema.safeParse(body);
  if (!parsed.success) throw zodToHttpError(parsed.error);
  return parsed.data.map((t) => t.id);
}

function ignoreErrors(ctx: RequestContext): boolean {
  return (ctx.url.searchParams.get('ignoreErrors') ?? '').toLowerCase() === 'true';
}

async function replace(ctx: RequestContext): Promise<HandlerResult> {
  const ch = ownChannel(ctx);
  const entities = ctx.core.channels.replaceTopics(ch, await topicsFromBody(ctx), ignoreErrors(ctx));
  return { status: 200, body: { entities } };
}

async function add(ctx: RequestContext): Promise<HandlerResult> {
  const ch = ownChannel(ctx);
  const entities = ctx.core.channels.addTopics(ch, await topicsFromBody(ctx), ignoreErrors(ctx));
  return { status: 200, body: { entities } };
}

function removeAll(ctx: RequestContext): HandlerResult {
  const ch = ownChannel(ctx);
  ctx.core.channels.clearTopics(ch);
  return { status: 204 };
}

export function registerNotificationRoutes(router: Router<RouteSpec>): void {
  router.add('POST', BASE, { auth: 'token', handle: create });
  router.add('GET', BASE, { auth: 'token', handle: listChannels });
  router.add('HEAD', `${BASE}/{channelId}`, { auth: 'token', handle: head });
  router.add('GET', `${BASE}/{channelId}/subscriptions`, { auth: 'token', handle: getSubscriptions });
  router.add('PUT', `${BASE}/{channelId}/subscriptions`, { auth: 'token', handle: replace });
  router.add('POST', `${BASE}/{channelId}/subscriptions`, { auth: 'token', handle: add });
  router.add('DELETE', `${BASE}/{channelId}/subscriptions`, { auth: 'token', handle: removeAll });
}

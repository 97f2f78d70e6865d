// The Notifications REST endpoints of Genesys-compatible mode (notes/genesys.md C.1), answered
// with the platform's shapes: Channel, ChannelTopic listings and ErrorBody. Authentication (the
// relay token as the Bearer token), Host and Origin were checked before a request gets here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SubscriptionRequestSchema } from '../genesys/models.ts';
import type { CompatChannel, CompatRegistry } from './compat-channels.ts';

const BASE = '/api/v2/notifications/channels';
const MAX_BODY = 512 * 1024;

export interface CompatRestOptions {
  registry: CompatRegistry;
  /** ws:// origin the relay listens on, for connectUri. */
  wsOrigin(): string;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  send(res, status, { message, code, status, contextId: randomUUID(), details: [], errors: [] });
}

function readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve({ ok: false, status: 413, message: 'request body too large' });
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => resolve({ ok: false, status: 400, message: 'request body unreadable' }));
    req.on('end', () => {
      if (size > MAX_BODY) return;
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
      } catch {
        resolve({ ok: false, status: 400, message: 'request body is not valid JSON' });
      }
    });
  });
}

function channelJson(ch: CompatChannel, wsOrigin: string): Record<string, string> {
  return { connectUri: `${wsOrigin}/channels/${ch.id}`, id: ch.id, expires: new Date(ch.expiresAt).toISOString() };
}

function topicsJson(ch: CompatChannel, topics: Iterable<string>): { entities: Array<{ id: string; selfUri: string }> } {
  return { entities: [...topics].map((id) => ({ id, selfUri: `${BASE}/${ch.id}/subscriptions` })) };
}

export async function handleCompatRest(req: IncomingMessage, res: ServerResponse, path: string, o: CompatRestOptions): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://relay.invalid');
  const rest = path.replace(/\/+$/, '');
  if (rest === BASE) {
    if (method === 'POST') return send(res, 200, channelJson(o.registry.create(), o.wsOrigin()));
    if (method === 'GET') return send(res, 200, { entities: o.registry.list().map((c) => channelJson(c, o.wsOrigin())) });
    return sendError(res, 405, 'method.not.allowed', `${method} is not supported here`, { allow: 'GET, POST' });
  }
  const m = /^\/api\/v2\/notifications\/channels\/([A-Za-z0-9_-]{1,100})(\/subscriptions)?$/.exec(rest);
  if (!m) return sendError(res, 404, 'not.found', 'no such endpoint on the relay');
  const ch = o.registry.get(m[1] as string);
  if (!m[2]) {
    if (method !== 'HEAD') return sendError(res, 405, 'method.not.allowed', `${method} is not supported here`, { allow: 'HEAD' });
    res.writeHead(ch ? 200 : 404).end();
    return;
  }
  if (!ch) return sendError(res, 404, 'not.found', 'The requested channel was not found or has expired.');
  if (method === 'GET') return send(res, 200, topicsJson(ch, ch.topics));
  if (method === 'DELETE') {
    o.registry.clearTopics(ch);
    res.writeHead(204).end();
    return;
  }
  if (method !== 'PUT' && method !== 'POST') return sendError(res, 405, 'method.not.allowed', `${method} is not supported here`, { allow: 'GET, PUT, POST, DELETE' });
  const body = await readBody(req);
  if (!body.ok) return sendError(res, body.status, 'bad.request', body.message);
  const parsed = SubscriptionRequestSchema.safeParse(body.value);
  if (!parsed.success) return sendError(res, 400, 'bad.request', 'body must be a list of {"id": "<topic>"}');
  const ignoreErrors = url.searchParams.get('ignoreErrors') === 'true';
  const out = await o.registry.setTopics(ch, parsed.data.map((t) => t.id), method === 'PUT' ? 'replace' : 'add', ignoreErrors);
  if (!out.ok) return sendError(res, out.status, out.code, out.message);
  return send(res, 200, topicsJson(ch, out.topics));
}

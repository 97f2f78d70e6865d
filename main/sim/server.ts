// The HTTP(S) front of the simulator: one pipeline for every request. Order: correlation id →
// fault injection (platform paths only) → route → auth (bearer token / admin) → per-token rate
// limit → dialer models advanced to "now" → handler. Anything thrown becomes a JSON error; slow
// or oversized clients are cut off by the server limits, never by a crash.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { sleep, systemClock } from '../util/clock.ts';
import type { RequestContext, RouteSpec, SimCore } from './core.ts';
import { bump } from './counters.ts';
import { genesysError, serverErrorFor, tooManyRequests } from './errors.ts';
import { errorResult, parseJsonBody, readBody, sendResult, type HandlerResult } from './http-io.ts';
import type { Router } from './router.ts';
import { basicCredentials, sameSecret } from './routes/oauth-routes.ts';
import type { TokenRecord } from './token-store.ts';

export interface SimServer {
  readonly server: http.Server;
  /** Destroys stalled responses and open connections, closes the listener. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The token of `Authorization: Bearer <token>`; undefined when absent or malformed. */
function bearerCredential(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

function adminAuthorized(core: SimCore, req: IncomingMessage): boolean {
  const auth = req.headers.authorization;
  const bearer = bearerCredential(auth);
  if (bearer && sameSecret(bearer, core.adminToken)) return true;
  const basic = basicCredentials(auth);
  return !!basic && basic.id === core.clientId && sameSecret(basic.secret, core.clientSecret);
}

function bearerToken(core: SimCore, req: IncomingMessage): TokenRecord {
  const token = bearerCredential(req.headers.authorization);
  if (!token) throw genesysError('authRequired');
  const check = core.tokens.check(token);
  if (check.ok) return check.record;
  throw genesysError(check.reason === 'expired' ? 'credentialsExpired' : 'badCredentials');
}

export function createSimServer(core: SimCore, router: Router<RouteSpec>, tls?: { key: string; cert: string }): SimServer {
  const stalled = new Set<ServerResponse>();
  const limits = core.limits;
  const options: http.ServerOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above; default 30 s is too coarse for a slow client.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    maxHeaderSize: 16 * 1024,
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      core.logger.error('sim request failed outside the pipeline', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) sendResult(res, errorResult(e, 'unknown'), 'unknown');
      else res.destroy();
    });
  };
  const server = tls ? https.createServer({ ...options, key: tls.key, cert: tls.cert }, listener) : http.createServer(options, listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const correlationId = randomUUID();
    const method = req.method ?? 'GET';
    res.on('finish', () => {
      bump(core.counters.statuses, String(res.statusCode));
      core.logger.debug('sim request', { method, path: req.url?.split('?')[0]?.slice(0, 200), status: res.statusCode, correlationId });
    });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator.invalid');
    } catch {
      sendResult(res, errorResult(genesysError('badRequest', { message: 'The request target is not a valid URL.' }), correlationId), correlationId);
      return;
    }
    const path = url.pathname;
    const lookup = router.lookup(method, path);
    const template = lookup.kind === 'none' ? '<unmatched>' : lookup.kind === 'match' ? lookup.match.template : lookup.template;
    bump(core.counters.requests, `${method} ${template}`);
    const isAdmin = path === '/__sim' || path.startsWith('/__sim/');

    if (!isAdmin && core.faults.active) {
      const decision = core.faults.decide(method, path);
      if (decision.latencyMs > 0) {
        core.counters.faults.delayed++;
        await sleep(systemClock, decision.latencyMs); // wall-clock ms, whatever the simulator clock
      }
      switch (decision.action.kind) {
        case 'drop':
          core.counters.faults.dropped++;
          req.socket.destroy();
          return;
        case 'stall':
          core.counters.faults.stalled++;
          stalled.add(res);
          res.on('close', () => stalled.delete(res));
          return;
        case 'status':
          core.counters.faults.status5xx++;
          sendResult(res, errorResult(serverErrorFor(decision.action.status), correlationId), correlationId);
          return;
      }
    }

    let result: HandlerResult;
    try {
      result = await dispatch(req, url, lookup, correlationId, isAdmin);
    } catch (e) {
      result = errorResult(e, correlationId);
      if (result.status === 429) core.counters.rateLimited++;
      if (result.status >= 500) core.logger.warn('sim handler error', { path, error: e instanceof Error ? e.message : String(e) });
    }
    sendResult(res, result, correlationId);
  }

  async function dispatch(req: IncomingMessage, url: URL, lookup: ReturnType<Router<RouteSpec>['lookup']>, correlationId: string, isAdmin: boolean): Promise<HandlerResult> {
    // The admin guard comes first, so a non-loopback or unauthenticated caller learns nothing about /__sim routes.
    if (isAdmin) {
      if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) throw genesysError('notAuthorized', { message: 'The admin endpoint accepts loopback clients only.' });
      if (!adminAuthorized(core, req)) throw genesysError('authRequired', { message: 'The admin endpoint needs the admin token (Bearer) or the sandbox client credentials (Basic).' });
    }
    if (lookup.kind === 'none') throw genesysError('notFound', { message: `No resource at ${url.pathname.slice(0, 200)}` });
    if (lookup.kind === 'wrong-method') {
      throw genesysError('methodNotAllowed', { message: `${req.method} is not supported here; use ${lookup.allow.join(', ')}.`, headers: { allow: lookup.allow.join(', ') } });
    }
    const { handler: spec, params } = lookup.match;
    let token: TokenRecord | undefined;
    const extraHeaders: Record<string, string> = {};
    if (spec.auth === 'admin' && !isAdmin) throw genesysError('notFound');
    if (spec.auth === 'token') {
      token = bearerToken(core, req);
      const d = core.limiter.check(token.token, core.clock.now());
      if (!d.allowed) throw tooManyRequests(d.retryAfterSec);
      extraHeaders['inin-ratelimit-count'] = String(d.count);
      extraHeaders['inin-ratelimit-allowed'] = String(d.limit);
      extraHeaders['inin-ratelimit-reset'] = String(d.resetSec);
      core.dialers.advanceAll(core.clock.now());
    }
    let raw: Promise<Buffer> | undefined;
    const body = () => (raw ??= readBody(req, core.limits.maxBodyBytes));
    const ctx: RequestContext = {
      core,
      req,
      url,
      params,
      correlationId,
      token,
      json: async () => parseJsonBody(req, await body()),
      text: async () => (await body()).toString('utf8'),
    };
    const result = await spec.handle(ctx);
    return { ...result, headers: { ...extraHeaders, ...result.headers } };
  }

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ message: status === 408 ? 'The client did not produce a request within the server timeout limit.' : 'The request could not be understood by the server due to malformed syntax.', code: status === 408 ? 'request.timeout' : 'bad.request', status, details: [], errors: [] });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  server.on('tlsClientError', (err: Error) => core.logger.debug('sim TLS handshake failed', { error: err.message }));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => core.sockets.handleUpgrade(req, socket, head));

  let closing: Promise<void> | undefined;
  return {
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of stalled) res.socket?.destroy();
        stalled.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
